from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("notifications/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    # Where comment emails of earlier versions sent their unsubscribe links.
    path("comments/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe_legacy"),
    path("follow/<slug:segment>/<str:key>/", views.FollowView.as_view(), name="follow"),
    path("account/follows/", views.FollowListView.as_view(), name="follows"),
    path("account/notification-emails/", views.NotificationPreferencesView.as_view(), name="preferences"),
]
