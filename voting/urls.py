from django.urls import path

from voting import views

app_name = "voting"

urlpatterns = [
    path("proposals/<int:pk>/vote/", views.ProposalVoteView.as_view(), name="vote"),
    path("proposals/<int:pk>/vote/withdraw/", views.ProposalVoteWithdrawView.as_view(), name="withdraw"),
    path("contests/<slug:slug>/compare/", views.ContestCompareView.as_view(), name="compare"),
    path("contests/<slug:slug>/leaderboard/", views.ContestLeaderboardView.as_view(), name="leaderboard"),
]
