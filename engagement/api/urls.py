from django.urls import path

from engagement.api import views, views_rewards

urlpatterns = [
    path("leaderboards/contributors/", views.ContributorLeaderboardView.as_view(), name="contributor_leaderboard"),
    path("rewards/", views_rewards.RewardListView.as_view(), name="rewards"),
    path("rewards/<int:pk>/redeem/", views_rewards.RedeemView.as_view(), name="reward_redeem"),
    path("points/balance/", views_rewards.BalanceView.as_view(), name="points_balance"),
    path("redemptions/", views_rewards.MyRedemptionsView.as_view(), name="redemptions"),
    path("redemptions/<int:pk>/hand-over/", views_rewards.HandOverView.as_view(), name="redemption_hand_over"),
    path("agencies/<slug:slug>/rewards/", views_rewards.AgencyRewardsView.as_view(), name="agency_rewards"),
]
