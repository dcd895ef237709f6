"""One channel-layer subscription per board per process, shared by that process's viewers.

A push used to be one channel-layer message per viewer: each consumer had its own channel in
the board's group, so every push went through one queue, one task wake-up and one dispatch per
socket. Here the process's viewers of a board join a `BoardHub` instead; the hub holds a single
channel in each watched board's group and, for each push, hands the snapshot text (serialised
once by the publisher) to every local viewer's latest-snapshot slot (live.consumers). The
channel layer, and its survival of Redis restarts (live.channel_layer), are unchanged.

Each event loop serving websockets has its own hub (one per process in production; tests run
several loops, some at once in different threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref

logger = logging.getLogger(__name__)


class BoardHub:
    def __init__(self, layer) -> None:
        self.layer = layer
        self.members: dict[str, set] = {}
        self._lock = asyncio.Lock()  # joining and leaving change subscriptions one at a time
        self._channel: str | None = None
        self._receiver: asyncio.Task | None = None  # held so the running task is not garbage-collected

    async def join(self, group: str, viewer) -> None:
        """Deliver the group's pushes to `viewer.snapshot_offer(version, text)` from now on."""
        async with self._lock:
            if self._channel is None:
                self._channel = await self.layer.new_channel(prefix="boards")
                self._receiver = asyncio.create_task(self._receive())
            members = self.members.setdefault(group, set())
            if not members:
                try:
                    await self.layer.group_add(group, self._channel)
                except BaseException:
                    del self.members[group]
                    raise
            members.add(viewer)

    async def leave(self, group: str, viewer) -> None:
        async with self._lock:
            members = self.members.get(group)
            if members is None:
                return
            members.discard(viewer)
            if not members:
                del self.members[group]
                with contextlib.suppress(Exception):  # nothing to clean up if Redis is gone
                    await self.layer.group_discard(group, self._channel)

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self._channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the layer recovers by itself (live.channel_layer); keep listening
                logger.warning("Receiving a board push failed", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if message.get("type") != "leaderboard.snapshot":
                continue
            for viewer in tuple(self.members.get(message.get("group"), ())):
                viewer.snapshot_offer(message["version"], message["text"])


_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # event loop -> its hub
_hubs_lock = threading.Lock()  # loops of several threads (a test server beside the tests) may ask at once


def board_hub(layer) -> BoardHub:
    """The running event loop's hub (created on first use)."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None or hub.layer is not layer:
            hub = _hubs[loop] = BoardHub(layer)
        return hub
