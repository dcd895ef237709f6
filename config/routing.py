"""Websocket routes of every app, collected in one list for config.asgi."""

from voting.routing import websocket_urlpatterns as voting_patterns

websocket_urlpatterns = [*voting_patterns]
