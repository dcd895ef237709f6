"""Websocket routes of the engagement app."""

from django.urls import path

from engagement.consumers import ContributorBoardConsumer

websocket_urlpatterns = [
    path("ws/leaderboards/contributors/<str:period>/", ContributorBoardConsumer.as_asgi()),
    path("ws/contests/<slug:slug>/contributors/<str:period>/", ContributorBoardConsumer.as_asgi()),
]
