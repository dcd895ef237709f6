from django.urls import path

from voting.api import views

urlpatterns = [
    path("proposals/<int:pk>/vote/", views.ProposalVoteView.as_view(), name="proposal_vote"),
    path("contests/<slug:slug>/pair/", views.ContestPairView.as_view(), name="contest_pair"),
    path("contests/<slug:slug>/leaderboard/", views.ContestLeaderboardView.as_view(), name="contest_leaderboard"),
]
