"""Websocket routes of the voting app."""

from django.urls import path

from voting.consumers import LeaderboardConsumer

websocket_urlpatterns = [
    path("ws/contests/<slug:slug>/leaderboard/", LeaderboardConsumer.as_asgi()),
]
