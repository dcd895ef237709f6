from django.urls import path

from moderation.api import views

_reports = "agencies/<slug:slug>/moderation/reports/"

urlpatterns = [
    path(_reports, views.ModerationQueueView.as_view(), name="moderation_queue"),
    path(f"{_reports}<int:report_id>/hide/", views.ReportHideView.as_view(), name="moderation_report_hide"),
    path(f"{_reports}<int:report_id>/dismiss/", views.ReportDismissView.as_view(), name="moderation_report_dismiss"),
]
