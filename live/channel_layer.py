"""The Redis pub/sub channel layer, made to survive a Redis restart.

channels-redis's pub/sub shard connection logs the first error when Redis goes
away and then reads from a dead connection forever: after Redis returns, the
process never subscribes again and its viewers stop receiving pushes
(tests/live/test_redis_outage.py). Here a receive error marks the connection
broken; it is rebuilt, with every subscription it had, once Redis answers again,
and every leaderboard watched in this process is pushed afresh.
"""

import asyncio
import contextlib
import logging
import re

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisSingleShardConnection, _close_redis

from live.boards import board_kinds
from live.publisher import board_mark_dirty

logger = logging.getLogger(__name__)

# The Redis channel of a live board's group ("<kind>.<ident>", live.boards), as channels-redis names it.
_BOARD_GROUP = re.compile(r"__group__(?P<group>(?P<kind>[a-z]+)\..+)$")


def board_groups(redis_channels) -> list[str]:
    """The live-board groups ("lb.12", "cb.site.week") among subscribed Redis channel names."""
    groups = []
    for name in redis_channels:
        match = _BOARD_GROUP.search(name)
        if match and match["kind"] in board_kinds:
            groups.append(match["group"])
    return groups


class ResubscribingShardConnection(RedisSingleShardConnection):
    _broken = False

    async def _do_receiving(self):
        while True:
            try:
                if self._broken:
                    await self._rebuild()
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception:  # noqa: BLE001 - Redis gone: rebuild the subscriptions when it returns
                if not self._broken:
                    logger.warning("Lost the Redis pub/sub connection; resubscribing when Redis returns")
                self._broken = True
                await asyncio.sleep(0.5)

    async def subscribe(self, channel):
        try:
            await super().subscribe(channel)
        except Exception:  # noqa: BLE001 - Redis away: keep the subscription for when it returns
            # A viewer connecting during an outage is accepted (it gets a snapshot from
            # PostgreSQL); the receiver subscribes it when Redis answers again.
            async with self._lock:
                self._subscribed_to.add(channel)
                self._broken = True
                self._ensure_receiver()

    async def unsubscribe(self, channel):
        try:
            await super().unsubscribe(channel)
        except Exception:  # noqa: BLE001 - Redis away: just forget it, so it is not resubscribed later
            async with self._lock:
                self._subscribed_to.discard(channel)

    async def _rebuild(self) -> None:
        async with self._lock:
            old, self._redis, self._pubsub = self._redis, None, None
            if old is not None:
                with contextlib.suppress(Exception):
                    await _close_redis(old)
            self._ensure_redis()
            if self._subscribed_to:
                await self._pubsub.subscribe(*self._subscribed_to)
            self._broken = False
        logger.warning("Redis pub/sub connection restored (%s subscriptions)", len(self._subscribed_to))
        # Pushes published while this process was not subscribed are gone (pub/sub keeps nothing):
        # ask for a fresh snapshot of every live board watched here (proposal leaderboards and
        # contributor boards alike), so viewers catch up.
        for group in board_groups(self._subscribed_to):
            board_mark_dirty(group=group)


class ResilientRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """RedisPubSubChannelLayer whose per-loop layers use ResubscribingShardConnection."""

    def _get_layer(self):
        layer = super()._get_layer()
        if not getattr(layer, "_resubscribing", False):
            # A new loop layer has not connected or subscribed yet: swapping its shards loses nothing.
            layer._shards = [ResubscribingShardConnection(shard.host, layer) for shard in layer._shards]
            layer._resubscribing = True
        return layer
