"""The benchmark's load generator: a separate process that talks to the server over 127.0.0.1 only.

    python bench/load.py ingest --base http://127.0.0.1:PORT --data seed.json --out out.json [--duration 20] [--pass-index 0]
    python bench/load.py warmup ...
    python bench/load.py fanout ... --viewers 100 --votes 20 --worker-pids 12,13

Every run is bounded in requests and time and exits by itself. Results are written as JSON.
"""

import argparse
import asyncio
import json
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import uvloop
import websockets
from websockets.asyncio.client import connect as ws_connect

VOTERS = 50
MAX_VOTES_PER_VOTER_PER_PASS = 1000  # passes use disjoint proposal ranges, so every ballot is new
TOTAL_VOTES = re.compile(rb'"total_votes": (\d+)')
VOTER_STRIDE = 197  # voters start at different proposals, so they rarely update the same tally row at once


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def session(limit: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit, limit_per_host=limit),
        timeout=aiohttp.ClientTimeout(total=10),
    )


async def cast(http, base: str, token: str, proposal_id: int, value: int) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        async with http.post(
            f"{base}/api/v1/proposals/{proposal_id}/vote/",
            json={"value": value},
            headers={"Authorization": f"Token {token}"},
        ) as response:
            await response.read()
            status = response.status
    except (TimeoutError, aiohttp.ClientError):
        status = 0
    return status, time.perf_counter() - started


async def run_voters(
    base: str, tokens: list[str], proposals: list[int], *, duration: float, pass_index: int, rate: float = 0.0
) -> dict:
    """Each voter casts +1/-1 ballots one after another on its own sequence of proposals.

    With `rate` (ballots per second for all voters together) each voter keeps to its own schedule,
    one ballot every len(tokens) / rate seconds, sending at once when it is behind: latency at a
    load the server can sustain, rather than at saturation.
    """
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    rng = random.Random(pass_index)
    deadline = time.perf_counter() + duration
    n = len(proposals)

    async def voter(index: int, token: str) -> None:
        start = index * VOTER_STRIDE + pass_index * MAX_VOTES_PER_VOTER_PER_PASS
        interval = len(tokens) / rate if rate else 0.0
        due = time.perf_counter() + interval * index / len(tokens)  # spread over the first interval
        for step in range(MAX_VOTES_PER_VOTER_PER_PASS):
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += interval
            if time.perf_counter() >= deadline:
                return
            proposal_id = proposals[(start + step) % n]
            status, latency = await cast(http, base, token, proposal_id, rng.choice((1, -1)))
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                latencies.append(latency)

    async with session(len(tokens) + 5) as http:
        started = time.perf_counter()
        await asyncio.gather(*(voter(i, token) for i, token in enumerate(tokens)))
        elapsed = time.perf_counter() - started
    accepted = statuses.get(201, 0)
    return {
        "voters": len(tokens),
        "elapsed_s": elapsed,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "accepted": accepted,
        "votes_per_s": accepted / elapsed,
        "p50_ms": 1000 * percentile(latencies, 50) if latencies else None,
        "p99_ms": 1000 * percentile(latencies, 99) if latencies else None,
        "max_ms": 1000 * max(latencies) if latencies else None,
    }


def rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


class Viewer:
    """One websocket viewer: remembers when each total_votes value first arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[float, int]] = []
        self.ws = None
        self.task: asyncio.Task | None = None

    async def open(self, url: str, origin: str) -> None:
        self.ws = await ws_connect(url, origin=origin, open_timeout=30, max_queue=None, ping_interval=None)
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.perf_counter()
                # Only the total is needed: a regex instead of json.loads keeps the load process cheap.
                data = message.encode() if isinstance(message, str) else message
                self.received.append((now, int(TOTAL_VOTES.search(data).group(1))))
        except websockets.ConnectionClosed:
            pass

    def first_time_at_least(self, total: int) -> float | None:
        for when, seen in self.received:
            if seen >= total:
                return when
        return None


async def run_fanout(args, data: dict) -> dict:
    contest = data["contests"]["bench-fanout"]
    slug = "bench-fanout"
    origin = args.base
    url = args.base.replace("http://", "ws://") + f"/ws/contests/{slug}/leaderboard/"
    pids = [int(p) for p in args.worker_pids.split(",") if p]
    rss_before = rss_mb(pids)
    viewers = [Viewer() for _ in range(args.viewers)]
    gate = asyncio.Semaphore(50)

    async def open_one(viewer: Viewer) -> None:
        async with gate:
            await viewer.open(url, origin)

    connect_started = time.perf_counter()
    opened = await asyncio.gather(*(open_one(v) for v in viewers), return_exceptions=True)
    failures = [repr(r) for r in opened if isinstance(r, BaseException)]
    connect_s = time.perf_counter() - connect_started
    live = [v for v, r in zip(viewers, opened, strict=True) if not isinstance(r, BaseException)]
    # Every viewer gets a snapshot on connect; wait for them, and for any push still in flight to settle.
    for _ in range(100):
        if all(v.received for v in live):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    base_total = max((v.received[-1][1] for v in live if v.received), default=0)

    # Distinct (voter, proposal) pairs per round, so each vote is a new ballot: +1 on total_votes.
    tokens = data["tokens"][VOTERS:]  # voters the ingestion phase never uses
    pairs = [(t, p) for t in tokens for p in contest["proposals"]]
    round_pairs = pairs[args.round_index * args.votes : (args.round_index + 1) * args.votes]
    sent: list[tuple[float, float, int]] = []  # (sent at, response at, expected total)
    failed_votes: dict[str, int] = {}
    total = base_total
    async with session(4) as http:
        for token, proposal_id in round_pairs:
            started = time.perf_counter()
            status, latency = await cast(http, args.base, token, proposal_id, 1)
            if status != 201:  # refused or timed out (an overloaded server): counted, no viewer can see it
                failed_votes[str(status)] = failed_votes.get(str(status), 0) + 1
                continue
            total += 1
            sent.append((started, started + latency, total))
            await asyncio.sleep(max(0.0, args.spacing - latency))
    await asyncio.sleep(3.0)
    rss_after = rss_mb(pids)

    from_sent, from_response, missing = [], [], 0
    for started, answered, expected in sent:
        for viewer in live:
            when = viewer.first_time_at_least(expected)
            if when is None:
                missing += 1
                continue
            from_sent.append(when - started)
            from_response.append(when - answered)
    for viewer in live:
        await viewer.ws.close()
    await asyncio.gather(*(v.task for v in live if v.task), return_exceptions=True)
    return {
        "viewers": args.viewers,
        "connected": len(live),
        "connect_failures": failures[:5],
        "connect_failure_count": len(failures),
        "connect_s": connect_s,
        "votes": len(sent),
        "failed_votes": failed_votes,
        "samples": len(from_sent),
        "missing_samples": missing,
        "p50_ms": 1000 * percentile(from_sent, 50) if from_sent else None,
        "p99_ms": 1000 * percentile(from_sent, 99) if from_sent else None,
        "max_ms": 1000 * max(from_sent) if from_sent else None,
        "p50_from_response_ms": 1000 * percentile(from_response, 50) if from_response else None,
        "p99_from_response_ms": 1000 * percentile(from_response, 99) if from_response else None,
        "vote_post_median_ms": 1000 * statistics.median(a - s for s, a, _ in sent) if sent else None,
        "messages_received": sum(len(v.received) for v in live),
        "server_rss_mb_idle": rss_before,
        "server_rss_mb_connected": rss_after,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["warmup", "ingest", "fanout"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--pass-index", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.0, help="paced: ballots/s of all voters together")
    parser.add_argument("--viewers", type=int, default=100)
    parser.add_argument("--votes", type=int, default=20)
    parser.add_argument("--spacing", type=float, default=1.0)
    parser.add_argument("--round-index", type=int, default=0)
    parser.add_argument("--worker-pids", default="")
    args = parser.parse_args()
    raise_fd_limit()
    data = json.loads(Path(args.data).read_text())
    tokens = data["tokens"][:VOTERS]
    if args.phase == "ingest":
        result = await run_voters(
            args.base,
            tokens,
            data["contests"]["bench-10000"]["proposals"],
            duration=args.duration,
            pass_index=args.pass_index,
            rate=args.rate,
        )
    elif args.phase == "warmup":
        # Spread ballots over the small contests (for the per-push cost) and warm every worker up.
        result = {}
        for slug, duration in (("bench-10", 2.0), ("bench-1000", 4.0)):
            result[slug] = await run_voters(
                args.base, tokens, data["contests"][slug]["proposals"], duration=duration, pass_index=0
            )
    else:
        result = await run_fanout(args, data)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    uvloop.run(main())
