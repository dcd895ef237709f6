from django.urls import path

from jury import views

app_name = "jury"

urlpatterns = [
    path("contests/<slug:slug>/jury/", views.ManageView.as_view(), name="manage"),
    path("contests/<slug:slug>/jury/settings/", views.SettingsView.as_view(), name="settings"),
    path("contests/<slug:slug>/jury/rubric/", views.RubricView.as_view(), name="rubric"),
    path("contests/<slug:slug>/jury/reviewers/", views.InviteView.as_view(), name="invite"),
    path(
        "contests/<slug:slug>/jury/reviewers/<int:reviewer_id>/withdraw/",
        views.WithdrawReviewerView.as_view(),
        name="withdraw_reviewer",
    ),
    path("contests/<slug:slug>/jury/assign/", views.AssignView.as_view(), name="assign"),
    path("contests/<slug:slug>/jury/remind/", views.RemindView.as_view(), name="remind"),
    path("contests/<slug:slug>/jury/winners/", views.WinnersView.as_view(), name="winners"),
    path("contests/<slug:slug>/jury/publish/", views.PublishView.as_view(), name="publish"),
    path("contests/<slug:slug>/results/", views.ResultsView.as_view(), name="results"),
    path("jury/", views.DashboardView.as_view(), name="dashboard"),
    path("jury/invitations/<str:token>/", views.AcceptInvitationView.as_view(), name="accept_invitation"),
    path("jury/contests/<slug:slug>/conflicts/", views.ConflictsView.as_view(), name="conflicts"),
    path("jury/contests/<slug:slug>/withdraw/", views.WithdrawSelfView.as_view(), name="withdraw_self"),
    path("jury/reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
]
