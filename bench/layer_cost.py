"""Cost of one group_send to a group of N members: RedisChannelLayer vs RedisPubSubChannelLayer.

All members live in this one process (as viewers of one contest do in one server
worker). For each layer and group size it reports the median time of the
group_send call itself and of send + delivery to every member.

    REDIS_URL=redis://127.0.0.1:6379/13 python bench/layer_cost.py <out.json>
"""

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

SIZES = (100, 1000)
REPEATS = 10


async def measure(layer, members: int) -> dict:
    group = f"bench-group-{members}"
    channels = [await layer.new_channel() for _ in range(members)]
    for channel in channels:
        await layer.group_add(group, channel)
    await asyncio.sleep(0.5)  # let subscriptions settle
    message = {"type": "leaderboard.snapshot", "version": 1, "text": "x" * 2500}
    send_times, delivery_times = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await layer.group_send(group, message)
        sent = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(layer.receive(c) for c in channels)), timeout=30)
        delivered = time.perf_counter()
        send_times.append(sent - started)
        delivery_times.append(delivered - started)
    for channel in channels:
        await layer.group_discard(group, channel)
    return {
        "members": members,
        "group_send_ms": 1000 * statistics.median(send_times),
        "delivered_to_all_ms": 1000 * statistics.median(delivery_times),
    }


async def main() -> None:
    url = os.environ["REDIS_URL"]
    prefix = os.environ.get("CHANNEL_PREFIX", "civbench")
    results = {}
    for name, factory in (
        ("RedisChannelLayer", lambda: RedisChannelLayer(hosts=[url], prefix=f"{prefix}-core")),
        ("RedisPubSubChannelLayer", lambda: RedisPubSubChannelLayer(hosts=[url], prefix=f"{prefix}-ps")),
    ):
        layer = factory()
        results[name] = []
        for size in SIZES:
            try:
                results[name].append(await measure(layer, size))
            except TimeoutError:  # reported, not fatal: the rest of the benchmark still counts
                results[name].append({"members": size, "error": "not delivered to every member within 30 s"})
        await layer.flush()
        if hasattr(layer, "close_pools"):
            await layer.close_pools()
    Path(sys.argv[1]).write_text(json.dumps(results, indent=2))
    print(json.dumps(results), file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
