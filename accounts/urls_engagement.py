"""Following, notification email preferences, unsubscribe, and the public accountability pages."""

from django.urls import include, path

from accounts import views_follows
from proposals import views_accountability

follow_patterns = [
    path("follow/contests/<slug:key>/", views_follows.FollowView.as_view(kind="contest"), name="follow_contest"),
    path("follow/proposals/<int:key>/", views_follows.FollowView.as_view(kind="proposal"), name="follow_proposal"),
    path("follow/agencies/<slug:key>/", views_follows.FollowView.as_view(kind="agency"), name="follow_agency"),
    path("account/follows/", views_follows.FollowListView.as_view(), name="list"),
    path("account/notification-emails/", views_follows.NotificationPreferencesView.as_view(), name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views_follows.UnsubscribeView.as_view(), name="unsubscribe"),
]

accountability_patterns = [
    path("accountability/", views_accountability.SiteAccountabilityView.as_view(), name="site"),
    path(
        "agencies/<slug:slug>/accountability/",
        views_accountability.AgencyAccountabilityView.as_view(),
        name="agency",
    ),
]

urlpatterns = [
    path("", include((follow_patterns, "follows"))),
    path("", include((accountability_patterns, "accountability"))),
]
