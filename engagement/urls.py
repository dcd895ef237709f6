from django.urls import path

from engagement import views

app_name = "engagement"

urlpatterns = [
    path("leaderboards/contributors/", views.ContributorLeaderboardView.as_view(), name="contributors"),
    path(
        "contests/<slug:slug>/contributors/",
        views.ContributorLeaderboardView.as_view(),
        name="contest_contributors",
    ),
    path("account/leaderboards/", views.PreferenceView.as_view(), name="preferences"),
]
