"""Websocket consumer of the live leaderboard (contract in DESIGN.md and the README).

Each viewer gets a snapshot on connect and then every newer snapshot pushed for
the contest. A viewer keeps only the newest snapshot it has not sent yet and a
separate task writes it to the socket, so a slow client skips versions instead
of holding up anyone else or piling up memory.

`LatestSnapshotConsumer` is that machinery for any board pushed by
voting.broadcast (engagement's contributor boards reuse it); a subclass says
which board the socket watches, its group, and how to read its snapshot.
"""

import asyncio
import contextlib
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from contests.models import Contest
from contests.selectors import contest_visible_to
from voting.broadcast import leaderboard_group, publisher
from voting.selectors import leaderboard_snapshot_cached

MAX_CLIENT_MESSAGE_BYTES = 256
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAVAILABLE = 1011


@database_sync_to_async
def _visible_contest(slug: str, user) -> Contest | None:
    return contest_visible_to(slug=slug, user=user)


@database_sync_to_async
def _snapshot_text(contest: Contest) -> tuple[int, str]:
    snapshot = leaderboard_snapshot_cached(contest=contest)
    return snapshot["version"], json.dumps(snapshot)


class LatestSnapshotConsumer(AsyncWebsocketConsumer):
    group: str | None = None
    sender: asyncio.Task | None = None

    async def get_board(self):
        """The board this socket watches, or None to refuse the handshake (unknown or not visible)."""
        raise NotImplementedError

    def board_group(self, board) -> str:
        raise NotImplementedError

    async def board_snapshot(self, board) -> tuple[int, str]:
        """(version, JSON text) of the board's current snapshot."""
        raise NotImplementedError

    async def connect(self):
        board = await self.get_board()
        if board is None:
            # Unknown, draft or private: refuse the handshake without saying which.
            await self.close(code=CLOSE_NOT_FOUND)
            return
        publisher.register_delivery_loop(asyncio.get_running_loop())
        self.sent_version = 0
        self.pending: tuple[int, str] | None = None
        self.wake = asyncio.Event()
        await self.accept()
        try:
            self.group = self.board_group(board)
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # noqa: BLE001 - Redis down: the page falls back to polling and reconnects later
            self.group = None
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        self.sender = asyncio.create_task(self._send_latest())
        version, text = await self.board_snapshot(board)
        self._offer(version, text)

    async def disconnect(self, code):
        if self.sender is not None:
            self.sender.cancel()
        if self.group is not None:
            with contextlib.suppress(Exception):  # nothing to clean up if Redis is gone
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Clients may send {"type": "ping"}; anything else is a protocol error and closes the socket."""
        if bytes_data is not None or text_data is None or len(text_data) > MAX_CLIENT_MESSAGE_BYTES:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        if isinstance(message, dict) and message.get("type") == "ping":
            await self.send(text_data='{"type": "pong"}')
        else:
            await self.close(code=CLOSE_BAD_MESSAGE)

    async def leaderboard_snapshot(self, event):
        """A push from the publisher: remember it if newer, and let the sender write it."""
        self._offer(event["version"], event["text"])

    def _offer(self, version: int, text: str) -> None:
        if version > self.sent_version and (self.pending is None or version > self.pending[0]):
            self.pending = (version, text)
            self.wake.set()

    async def _send_latest(self):
        while True:
            await self.wake.wait()
            self.wake.clear()
            if self.pending is None:
                continue
            version, text = self.pending
            self.pending = None
            if version > self.sent_version:
                self.sent_version = version
                await self.send(text_data=text)


class LeaderboardConsumer(LatestSnapshotConsumer):
    """The live proposal leaderboard of a contest."""

    async def get_board(self):
        return await _visible_contest(self.scope["url_route"]["kwargs"]["slug"], self.scope["user"])

    def board_group(self, board) -> str:
        return leaderboard_group(board.pk)

    async def board_snapshot(self, board) -> tuple[int, str]:
        return await _snapshot_text(board)
