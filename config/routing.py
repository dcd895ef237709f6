"""Websocket routes of every app, collected in one list for config.asgi."""

from engagement.routing import websocket_urlpatterns as engagement_patterns
from microtasks.routing import websocket_urlpatterns as microtasks_patterns
from reports.routing import websocket_urlpatterns as reports_patterns
from voting.routing import websocket_urlpatterns as voting_patterns

websocket_urlpatterns = [*voting_patterns, *engagement_patterns, *reports_patterns, *microtasks_patterns]
