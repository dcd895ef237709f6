from django.urls import path

from integrity.api import views

urlpatterns = [
    path("contests/<slug:slug>/integrity/", views.IntegrityReportView.as_view(), name="contest_integrity"),
    path("contests/<slug:slug>/integrity/queue/", views.ReviewQueueView.as_view(), name="integrity_queue"),
    path(
        "contests/<slug:slug>/integrity/queue/<int:pk>/",
        views.ReviewDecisionView.as_view(),
        name="integrity_decision",
    ),
]
