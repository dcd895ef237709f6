from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("agencies/<slug:slug>/moderation/", views.ModerationQueueView.as_view(), name="queue"),
    path(
        "agencies/<slug:slug>/moderation/reports/<int:report_id>/hide/",
        views.ReportHideView.as_view(),
        name="report_hide",
    ),
    path(
        "agencies/<slug:slug>/moderation/reports/<int:report_id>/dismiss/",
        views.ReportDismissView.as_view(),
        name="report_dismiss",
    ),
]
