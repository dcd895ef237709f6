from django.urls import path

from engagement.api import views

urlpatterns = [
    path("leaderboards/contributors/", views.ContributorLeaderboardView.as_view(), name="contributor_leaderboard"),
]
