"""The websocket side of live boards: a viewer gets a snapshot on connect, then every newer one pushed.

A viewer keeps only the newest snapshot it has not sent yet and a separate task writes it
to the socket, so a slow client skips versions instead of holding up anyone else or piling
up memory. A subclass says which board the socket watches, its group, and how to read its
current snapshot (voting.consumers, engagement.consumers).

Clients may send {"type": "ping"} (answered {"type": "pong"}); anything else closes the
socket with 4400. An unknown or invisible board is refused with 4404. Too many sockets from one
address, or a client sending too fast, closes with 4429 (live.limits).
"""

import asyncio
import contextlib
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from live import limits
from live.hub import board_hub
from live.publisher import publisher

MAX_CLIENT_MESSAGE_BYTES = 256
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAVAILABLE = 1011


class LatestSnapshotConsumer(AsyncWebsocketConsumer):
    """Base of every live-board websocket; see the module docstring."""

    group: str | None = None
    hub = None
    sender: asyncio.Task | None = None
    counted_address: str | None = None

    async def get_board(self):
        """The board this socket watches, or None to refuse the handshake (unknown or not visible)."""
        raise NotImplementedError

    def board_group(self, board) -> str:
        raise NotImplementedError

    def board_snapshot(self, board) -> dict:
        """The board's current snapshot (runs in a worker thread: it may read the database)."""
        raise NotImplementedError

    async def connect(self):
        address = limits.client_address(self.scope)
        if not limits.connection_open(address):
            await self.accept()  # accepted first, so the client sees the close code
            await self.close(code=limits.CLOSE_TOO_MANY)
            return
        self.counted_address = address
        self.message_rate = limits.MessageRate()
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
            self.hub = board_hub(self.channel_layer)
            await self.hub.join(self.group, self)
        except Exception:  # noqa: BLE001 - Redis down: the page falls back to polling and reconnects later
            self.group = None
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        self.sender = asyncio.create_task(self._send_latest())
        snapshot = await database_sync_to_async(self.board_snapshot)(board)
        self.snapshot_offer(snapshot["version"], json.dumps(snapshot))

    async def disconnect(self, code):
        if self.counted_address is not None:
            limits.connection_close(self.counted_address)
            self.counted_address = None
        if self.sender is not None:
            self.sender.cancel()
        if self.group is not None:
            with contextlib.suppress(Exception):  # nothing to clean up if Redis is gone
                await self.hub.leave(self.group, self)

    async def receive(self, text_data=None, bytes_data=None):
        """Clients may send {"type": "ping"}; anything else is a protocol error and closes the socket."""
        if not self.message_rate.allow():
            await self.close(code=limits.CLOSE_TOO_MANY)
            return
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

    def snapshot_offer(self, version: int, text: str) -> None:
        """A snapshot (from connecting, or a push through live.hub): remember it if newer; the sender writes it."""
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
