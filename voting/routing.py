"""Websocket routes of the voting app (live leaderboards land here)."""

websocket_urlpatterns: list = []
