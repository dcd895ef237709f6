"""The live leaderboard websocket on the in-memory layer (one process)."""

import json
import math
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from live.publisher import publisher
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting import services

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = [(b"origin", b"http://127.0.0.1")]


def _connect(slug: str, headers=ORIGIN) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/contests/{slug}/leaderboard/", headers=headers)


@database_sync_to_async
def _voting_contest(proposals: int = 3):
    contest = ContestFactory(voting=True, slug="clean-rivers", voting_method="updown")
    items = [ProposalFactory(contest=contest, title=f"Idea {n}") for n in range(proposals)]
    return contest, items


@database_sync_to_async
def _vote(proposal, value=1):
    return services.vote_cast(voter=UserFactory(), proposal=proposal, value=value)


async def _receive(communicator, timeout=3):
    return json.loads(await communicator.receive_from(timeout=timeout))


async def test_viewer_gets_a_snapshot_on_connect_and_a_newer_one_after_a_vote(settings):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 50
    contest, proposals = await _voting_contest()
    communicator = _connect(contest.slug)
    connected, _ = await communicator.connect()
    assert connected
    first = await _receive(communicator)
    assert first["type"] == "leaderboard"
    assert first["contest"] == "clean-rivers"
    assert first["method"] == "updown"
    assert first["total_votes"] == 0
    assert {entry["title"] for entry in first["entries"]} == {"Idea 0", "Idea 1", "Idea 2"}

    await _vote(proposals[1])
    second = await _receive(communicator)
    assert second["version"] > first["version"]
    assert second["total_votes"] == 1
    assert second["entries"][0]["proposal_id"] == proposals[1].pk
    assert second["entries"][0]["votes"] == 1
    assert second["entries"][0]["url"] == f"/contests/clean-rivers/proposals/{proposals[1].pk}/"
    await communicator.disconnect()


async def test_a_burst_of_votes_is_coalesced_and_the_last_change_arrives(settings):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 300
    contest, proposals = await _voting_contest()
    communicator = _connect(contest.slug)
    await communicator.connect()
    await _receive(communicator)
    pushes_before = publisher.pushes_by_kind.get("lb", 0)
    started = time.monotonic()
    for _ in range(8):
        await _vote(proposals[0])
    voting_took = time.monotonic() - started
    received = []
    while not await communicator.receive_nothing(timeout=1.0):
        received.append(await _receive(communicator))
    assert received, "no push arrived"
    assert received[-1]["total_votes"] == 8  # the last change is never lost
    # The contract: at most one push per interval, however many votes. On a slow machine the eight
    # votes take longer, so more intervals pass; the bound follows the time they took.
    interval = settings.LEADERBOARD_PUSH_INTERVAL_MS / 1000
    assert len(received) <= 2 + math.floor(voting_took / interval)
    assert publisher.pushes_by_kind.get("lb", 0) - pushes_before == len(received)
    versions = [message["version"] for message in received]
    assert versions == sorted(set(versions))
    await communicator.disconnect()


async def test_draft_and_unknown_contests_refuse_the_connection():
    draft = await database_sync_to_async(ContestFactory)(draft=True, slug="secret-plan")
    for slug in (draft.slug, "no-such-contest"):
        connected, code = await _connect(slug).connect()
        assert not connected
        assert code == 4404


async def test_foreign_origin_is_refused():
    contest, _ = await _voting_contest(1)
    connected, _ = await _connect(contest.slug, headers=[(b"origin", b"http://evil.example")]).connect()
    assert not connected


async def test_ping_gets_pong_and_malformed_messages_close_the_socket():
    contest, _ = await _voting_contest(1)
    communicator = _connect(contest.slug)
    await communicator.connect()
    await _receive(communicator)
    await communicator.send_to(text_data='{"type": "ping"}')
    assert await _receive(communicator) == {"type": "pong"}
    await communicator.send_to(text_data="not json")
    output = await communicator.receive_output(timeout=1)
    assert output == {"type": "websocket.close", "code": 4400}


async def test_many_viewers_share_one_subscription_and_each_gets_every_push(settings):
    """A push is one channel-layer message per process, whatever the number of viewers (live.hub)."""
    from channels.layers import get_channel_layer

    settings.LEADERBOARD_PUSH_INTERVAL_MS = 50
    contest, proposals = await _voting_contest()
    viewers = [_connect(contest.slug) for _ in range(5)]
    for viewer in viewers:
        assert (await viewer.connect())[0]
        assert (await _receive(viewer))["total_votes"] == 0
    layer = get_channel_layer()
    group = f"lb.{contest.pk}"

    def members() -> list:  # the in-memory layer keys groups by name, the Redis pub/sub layer by channel
        return [
            m
            for key, found in layer.groups.items()
            if key in (group, f"{getattr(layer, 'prefix', '')}__group__{group}")
            for m in found
        ]

    assert len(members()) == 1
    await _vote(proposals[0])
    for viewer in viewers:
        assert (await _receive(viewer))["total_votes"] == 1
    await viewers[0].disconnect()
    await _vote(proposals[1])
    for viewer in viewers[1:]:
        assert (await _receive(viewer))["total_votes"] == 2
    for viewer in viewers[1:]:
        await viewer.disconnect()
    assert members() == []  # the last viewer gone, the subscription too
