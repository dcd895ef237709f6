"""Live board pushes: coalesced per board, shared across processes.

A committed change calls `board_mark_dirty(group=...)` for each board it affects (a ballot
marks its contest's leaderboard, "lb.<contest id>"). Each server process runs one publisher
(a daemon thread with its own event loop) that turns dirty marks into at most one snapshot
per board per LEADERBOARD_PUSH_INTERVAL_MS, across all processes:

- the first mark takes a short lock in Redis (`SET NX PX interval`); the holder
  takes a snapshot and sends it to the contest's channel-layer group at once;
- a mark that finds the lock taken waits until it expires and tries again, so a
  change made during a push is always sent by a later push: the last change is
  never lost, only coalesced;
- with Redis down the mark is kept and retried with backoff; votes are stored
  regardless, and pushes resume when Redis returns.

With the Redis pub/sub channel layer one push is one PUBLISH; every process
subscribed to the board receives it once and hands it to its own viewers,
so the cost of a push does not grow with the number of viewers.
Without Redis (embedded default: one process, in-memory layer) the lock is a
local timestamp and the snapshot is delivered on the server's event loop.
What a board's snapshot is comes from its kind (live.boards.board_kinds).
See docs/live-leaderboard.md.
"""

import asyncio
import json
import logging
import os
import threading
import time
import uuid

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections

from live.boards import board_cache_store, board_kinds

logger = logging.getLogger(__name__)


class BoardPublisher:
    """One per process. Thread-safe entry point: mark_dirty()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid: int | None = None
        # Keyed by channel-layer group name ("lb.<contest id>", "cb.site.week", ...).
        self._dirty: set[str] = set()
        self._scheduled: set[str] = set()
        self._last_push: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self._redis = None
        self._token = uuid.uuid4().hex
        # The loop of this process's websocket server; the in-memory layer must be used from it.
        self.delivery_loop: asyncio.AbstractEventLoop | None = None
        self.pushes_by_kind: dict[str, int] = {}  # snapshots sent by this process (read by tests and the benchmark)
        self._outstanding = 0  # marks not yet finished with (see wait_idle)

    # --- called from any thread ---------------------------------------------------------

    def mark_group_dirty(self, group: str) -> None:
        loop = self._ensure_loop()
        with self._lock:
            self._outstanding += 1
        loop.call_soon_threadsafe(self._on_dirty, group)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every mark so far has been pushed or given up on; False on timeout.

        Tests call it before the database is emptied, so no snapshot runs against a vanishing table.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._outstanding == 0:
                    return True
            time.sleep(0.01)
        return False

    def _done(self) -> None:
        with self._lock:
            self._outstanding -= 1

    def register_delivery_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self.delivery_loop = loop

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._loop = asyncio.new_event_loop()
                self._dirty, self._scheduled, self._redis, self._outstanding = set(), set(), None, 0
                thread = threading.Thread(target=self._loop.run_forever, name="leaderboard-publisher", daemon=True)
                thread.start()
            return self._loop

    # --- on the publisher loop -----------------------------------------------------------

    @property
    def _interval(self) -> float:
        return settings.LEADERBOARD_PUSH_INTERVAL_MS / 1000

    def _on_dirty(self, group: str) -> None:
        self._dirty.add(group)
        if group in self._scheduled:
            self._done()  # merged into the run already scheduled for this group
        else:
            self._scheduled.add(group)
            asyncio.ensure_future(self._run(group), loop=self._loop)

    async def _run(self, group: str) -> None:
        """Push while this process holds unsent changes for the group, one push per interval at most."""
        try:
            while group in self._dirty:
                wait = await self._acquire(group)
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                self._dirty.discard(group)
                try:
                    await self._push(group)
                    self._failures.pop(group, None)
                except Exception:  # noqa: BLE001 - keep the mark, retry with backoff
                    self._dirty.add(group)
                    failures = self._failures[group] = self._failures.get(group, 0) + 1
                    logger.warning("Leaderboard push for %s failed (%s in a row)", group, failures, exc_info=True)
                    await asyncio.sleep(min(5.0, self._interval * 2**failures))
        finally:
            self._scheduled.discard(group)
            self._done()

    async def _acquire(self, group: str) -> float:
        """0 if this process may push now, else the seconds to wait before trying again."""
        if not settings.REDIS_URL:
            since = time.monotonic() - self._last_push.get(group, -1e9)
            if since >= self._interval:
                self._last_push[group] = time.monotonic()
                return 0.0
            return self._interval - since
        try:
            redis = self._redis_client()
            kind, ident = group.split(".", 1)
            key = f"{settings.CHANNEL_PREFIX}:{kind}:lock:{ident}"
            interval_ms = settings.LEADERBOARD_PUSH_INTERVAL_MS
            if await redis.set(key, self._token, nx=True, px=interval_ms):
                return 0.0
            ttl_ms = await redis.pttl(key)
            return max(ttl_ms, 1) / 1000 if ttl_ms and ttl_ms > 0 else 0.005
        except Exception:  # noqa: BLE001 - Redis down: keep the mark, try again later
            failures = self._failures[group] = self._failures.get(group, 0) + 1
            if failures in (1, 10) or failures % 100 == 0:
                logger.warning("Redis unavailable for leaderboard pushes (%s); retrying", group)
            return min(5.0, self._interval * 2 ** min(failures, 5))

    def _redis_client(self):
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        return self._redis

    async def _push(self, group: str) -> None:
        if not settings.REDIS_URL and (self.delivery_loop is None or not self.delivery_loop.is_running()):
            return  # one process, nobody has ever connected (or its server loop has stopped): nobody to tell
        kind = group.split(".", 1)[0]
        snapshot = await asyncio.get_running_loop().run_in_executor(None, _take_snapshot, group)
        if snapshot is None:
            return
        message = {
            "type": "leaderboard.snapshot",
            "group": group,  # live.hub hands it to this group's viewers in each process
            "version": snapshot["version"],
            "text": json.dumps(snapshot),
        }
        layer = get_channel_layer()
        if settings.REDIS_URL:
            await layer.group_send(group, message)
        else:
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), self.delivery_loop)
            await asyncio.wrap_future(future)
        self.pushes_by_kind[kind] = self.pushes_by_kind.get(kind, 0) + 1


def _take_snapshot(group: str) -> dict | None:
    """Runs in a worker thread: read the board from the database and cache it for HTTP readers."""
    prefix, ident = group.split(".", 1)
    kind = board_kinds.get(prefix)
    if kind is None:
        return None
    close_old_connections()
    try:
        snapshot = kind.take_snapshot(ident)
        if snapshot is not None:
            board_cache_store(key=group, snapshot=snapshot)
        return snapshot
    finally:
        close_old_connections()


publisher = BoardPublisher()


def board_mark_dirty(*, group: str) -> None:
    """Schedule a coalesced push of a board's group ("<kind>.<ident>"). Call it on commit of the change."""
    try:
        publisher.mark_group_dirty(group)
    except Exception:  # a push is a courtesy; the change is already stored
        logger.exception("Could not schedule a push for %s", group)
