"""With Redis down, votes are still accepted and stored, and live pushes resume when Redis returns.

The test runs its own redis-server on a free port, so it can stop and start it.
"""

import asyncio
import json
import shutil
import subprocess
import time
import uuid

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import free_port, http_json, server_log, start_asgi_server, stop_process, wait_until_serving
from voting.models import Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("redis-server"),
        reason="needs PostgreSQL and a redis-server binary",
    ),
]


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        result = subprocess.run(  # noqa: S603
            [shutil.which("redis-cli"), "-p", str(port), "ping"], capture_output=True, text=True, timeout=5
        )
        if result.stdout.strip() == "PONG":
            return process
        time.sleep(0.1)
    raise AssertionError("redis-server did not start")


class Viewer:
    """A websocket viewer that reconnects like the page's script: on close, retry with a short backoff."""

    def __init__(self, url: str, origin: str):
        self.url, self.origin = url, origin
        self.websocket = None
        self.reconnects = 0

    async def _connect(self) -> None:
        delay = 0.1
        while True:
            try:
                self.websocket = await connect(self.url, origin=self.origin, open_timeout=5)
                return
            except (OSError, WebSocketException, TimeoutError):
                # Refused handshake (the server cannot open this viewer's channel while Redis is down).
                self.reconnects += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def snapshot_where(self, condition, timeout: float) -> dict:
        """The first snapshot received that meets `condition`, reconnecting as often as needed."""
        async with asyncio.timeout(timeout):
            while True:
                if self.websocket is None:
                    await self._connect()
                try:
                    message = json.loads(await self.websocket.recv())
                except WebSocketException:
                    self.websocket = None
                    self.reconnects += 1
                    await asyncio.sleep(0.2)
                    continue
                if message.get("type") == "leaderboard" and condition(message):
                    return message

    async def close(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()


def _votes_of(snapshot: dict, proposal_id: int) -> int:
    return next((entry["votes"] for entry in snapshot["entries"] if entry["proposal_id"] == proposal_id), 0)


def test_votes_survive_a_redis_outage_and_pushes_resume_when_it_returns():
    contest = ContestFactory(voting=True, voting_method="updown")
    first_proposal = ProposalFactory(contest=contest)
    second_proposal = ProposalFactory(contest=contest)
    voter = UserFactory()
    token = Token.objects.create(user=voter).key
    redis_port, port = free_port(), free_port()
    redis = _start_redis(redis_port)
    server = start_asgi_server(
        port=port, redis_url=f"redis://127.0.0.1:{redis_port}/0", prefix=f"t{uuid.uuid4().hex[:10]}"
    )
    base = f"http://127.0.0.1:{port}"
    leaderboard_url = f"{base}/api/v1/contests/{contest.slug}/leaderboard/"

    async def scenario():
        nonlocal redis
        viewer = Viewer(f"ws://127.0.0.1:{port}/ws/contests/{contest.slug}/leaderboard/", origin=base)
        first = await viewer.snapshot_where(lambda s: True, timeout=10)
        assert first["total_votes"] == 0

        stop_process(redis)
        # A viewer arriving during the outage is let in and subscribed with the others when Redis returns.
        late_viewer = Viewer(viewer.url, origin=base)
        late_viewer_caught_up = asyncio.create_task(late_viewer.snapshot_where(lambda s: s["total_votes"] >= 1, 25))
        status, body = await asyncio.to_thread(
            http_json, "POST", f"{base}/api/v1/proposals/{first_proposal.pk}/vote/", token=token, body={"value": 1}
        )
        assert status == 201, body
        assert await asyncio.to_thread(lambda: Vote.objects.filter(proposal=first_proposal).count()) == 1
        status, board = await asyncio.to_thread(http_json, "GET", leaderboard_url)
        assert status == 200, board
        assert board["total_votes"] == 1
        # A viewer arriving now is let in at once and gets the ranking from PostgreSQL.
        outage_viewer = Viewer(viewer.url, origin=base)
        during = await outage_viewer.snapshot_where(lambda s: s["total_votes"] >= 1, timeout=10)
        assert outage_viewer.reconnects == 0
        assert _votes_of(during, first_proposal.pk) == 1

        redis = await asyncio.to_thread(_start_redis, redis_port)
        recovered = await viewer.snapshot_where(lambda s: s["total_votes"] >= 1, timeout=20)
        assert _votes_of(recovered, first_proposal.pk) == 1
        assert _votes_of(await late_viewer_caught_up, first_proposal.pk) == 1

        status, body = await asyncio.to_thread(
            http_json, "POST", f"{base}/api/v1/proposals/{second_proposal.pk}/vote/", token=token, body={"value": 1}
        )
        assert status == 201, body
        live = await viewer.snapshot_where(lambda s: s["total_votes"] >= 2, timeout=10)
        assert live["version"] > recovered["version"]
        assert _votes_of(live, second_proposal.pk) == 1
        live_late = await late_viewer.snapshot_where(lambda s: s["total_votes"] >= 2, timeout=10)
        assert _votes_of(live_late, second_proposal.pk) == 1
        live_outage = await outage_viewer.snapshot_where(lambda s: s["total_votes"] >= 2, timeout=10)
        assert _votes_of(live_outage, second_proposal.pk) == 1
        await outage_viewer.close()
        await viewer.close()
        await late_viewer.close()

    try:
        wait_until_serving(server, leaderboard_url)
        try:
            asyncio.run(scenario())
        except BaseException:
            print(server_log(server))  # shown by pytest when the test fails
            raise
    finally:
        stop_process(server)
        stop_process(redis)
