"""Two real ASGI server processes share PostgreSQL and Redis: a vote on one reaches a viewer on the other."""

import asyncio
import json
import uuid

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import free_port, http_json, start_asgi_server, stop_process, wait_until_serving

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL, reason="needs PostgreSQL and Redis"
    ),
]


async def _next_snapshot(websocket, timeout: float) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(websocket.recv(), timeout=timeout))
        if message.get("type") == "leaderboard":
            return message


async def _watch_and_vote(*, port_a: int, port_b: int, slug: str, proposal_id: int, token: str) -> tuple[dict, dict]:
    origin = f"http://127.0.0.1:{port_b}"
    async with connect(
        f"ws://127.0.0.1:{port_b}/ws/contests/{slug}/leaderboard/", origin=origin, open_timeout=10
    ) as websocket:
        first = await _next_snapshot(websocket, timeout=10)
        status, body = await asyncio.to_thread(
            http_json,
            "POST",
            f"http://127.0.0.1:{port_a}/api/v1/proposals/{proposal_id}/vote/",
            token=token,
            body={"value": 1},
        )
        assert status == 201, body
        async with asyncio.timeout(15):
            while True:
                snapshot = await _next_snapshot(websocket, timeout=15)
                if snapshot["total_votes"] >= 1:
                    return first, snapshot


def test_a_vote_through_one_server_reaches_a_viewer_on_the_other():
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest, title="Clean the river")
    ProposalFactory(contest=contest, title="Plant trees")
    voter = UserFactory()
    token = Token.objects.create(user=voter).key
    prefix = f"t{uuid.uuid4().hex[:10]}"
    port_a, port_b = free_port(), free_port()
    servers = [start_asgi_server(port=port, redis_url=settings.REDIS_URL, prefix=prefix) for port in (port_a, port_b)]
    try:
        for port, server in zip((port_a, port_b), servers, strict=True):
            wait_until_serving(server, f"http://127.0.0.1:{port}/api/v1/contests/{contest.slug}/leaderboard/")
        first, pushed = asyncio.run(
            _watch_and_vote(port_a=port_a, port_b=port_b, slug=contest.slug, proposal_id=proposal.pk, token=token)
        )
    finally:
        for server in servers:
            stop_process(server)
    assert first["total_votes"] == 0
    assert pushed["version"] > first["version"]
    assert pushed["total_votes"] == 1
    top = pushed["entries"][0]
    assert (top["proposal_id"], top["title"], top["votes"]) == (proposal.pk, "Clean the river", 1)
