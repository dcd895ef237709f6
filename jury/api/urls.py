from django.urls import path

from jury.api import manage, reviewer, views

_jury = "contests/<slug:slug>/jury/"

urlpatterns = [
    path("contests/<slug:slug>/reviewers/", views.ContestReviewersView.as_view(), name="contest_reviewers"),
    path(
        "contests/<slug:slug>/reviewers/<int:reviewer_id>/",
        manage.ReviewerWithdrawView.as_view(),
        name="contest_reviewer_withdraw",
    ),
    path("contests/<slug:slug>/rubric/", manage.RubricView.as_view(), name="contest_rubric"),
    path(f"{_jury}settings/", manage.ReviewSettingsView.as_view(), name="jury_settings"),
    path(f"{_jury}assign/", manage.AssignView.as_view(), name="jury_assign"),
    path(f"{_jury}progress/", manage.ProgressView.as_view(), name="jury_progress"),
    path(f"{_jury}reminders/", manage.RemindView.as_view(), name="jury_reminders"),
    path(f"{_jury}winners/", manage.WinnersView.as_view(), name="jury_winners"),
    path(f"{_jury}publish/", manage.PublishView.as_view(), name="jury_publish"),
    path(f"{_jury}conflicts/", reviewer.ConflictsView.as_view(), name="jury_conflicts"),
    path(f"{_jury}withdraw/", reviewer.WithdrawSelfView.as_view(), name="jury_withdraw_self"),
    path("jury/roles/", reviewer.ReviewerRoleListView.as_view(), name="jury_roles"),
    path("jury/invitations/accept/", reviewer.InvitationAcceptView.as_view(), name="jury_invitation_accept"),
    path("contests/<slug:slug>/results/", views.ContestResultsView.as_view(), name="contest_results"),
    path("contests/<slug:slug>/results.csv", views.ContestResultsCSVView.as_view(), name="contest_results_csv"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
]
