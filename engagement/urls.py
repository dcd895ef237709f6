from django.urls import path

from engagement import views, views_rewards

app_name = "engagement"

urlpatterns = [
    path("leaderboards/contributors/", views.ContributorLeaderboardView.as_view(), name="contributors"),
    path(
        "contests/<slug:slug>/contributors/",
        views.ContributorLeaderboardView.as_view(),
        name="contest_contributors",
    ),
    path("account/leaderboards/", views.PreferenceView.as_view(), name="preferences"),
    path("rewards/", views_rewards.RewardListView.as_view(), name="rewards"),
    path("rewards/<int:pk>/redeem/", views_rewards.RedeemView.as_view(), name="redeem"),
    path("rewards/redemptions/<int:pk>/hand-over/", views_rewards.HandOverView.as_view(), name="hand_over"),
    path("agencies/<slug:slug>/rewards/", views_rewards.AgencyRewardsView.as_view(), name="agency_rewards"),
]
