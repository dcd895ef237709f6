"""Websocket routes of the reports app."""

from django.urls import path

from reports.consumers import ReportBoardConsumer

websocket_urlpatterns = [
    path("ws/reports/map/", ReportBoardConsumer.as_asgi()),
    path("ws/reports/queue/<slug:slug>/", ReportBoardConsumer.as_asgi()),
]
