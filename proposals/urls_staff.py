"""Official answers, moderation, merging and similar-proposal lookup (included at the site root)."""

from django.urls import path

from proposals import views_moderation, views_responses

app_name = "proposals_staff"

_proposal = "contests/<slug:contest_slug>/proposals/<int:pk>/"

urlpatterns = [
    path(f"{_proposal}response/", views_responses.ProposalRespondView.as_view(), name="respond"),
    path(f"{_proposal}report/", views_moderation.ProposalReportView.as_view(), name="report"),
    path(f"{_proposal}merge/", views_moderation.ProposalMergeView.as_view(), name="merge"),
    path(
        "contests/<slug:contest_slug>/proposals/similar/",
        views_moderation.SimilarProposalsView.as_view(),
        name="similar",
    ),
    path("agencies/<slug:slug>/moderation/", views_moderation.ModerationQueueView.as_view(), name="moderation_queue"),
    path(
        "agencies/<slug:slug>/moderation/reports/<int:report_id>/hide/",
        views_moderation.ReportHideView.as_view(),
        name="report_hide",
    ),
    path(
        "agencies/<slug:slug>/moderation/reports/<int:report_id>/dismiss/",
        views_moderation.ReportDismissView.as_view(),
        name="report_dismiss",
    ),
]
