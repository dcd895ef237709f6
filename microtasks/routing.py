"""Websocket routes of the microtasks app."""

from django.urls import path

from microtasks.consumers import TaskBoardConsumer

websocket_urlpatterns = [path("ws/tasks/board/", TaskBoardConsumer.as_asgi())]
