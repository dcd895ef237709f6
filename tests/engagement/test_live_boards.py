"""Contributor boards over the websocket, pushed by the proposal leaderboard's publisher."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from engagement import services
from live.publisher import publisher
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
ORIGIN = [(b"origin", b"http://127.0.0.1")]


def _connect(path: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=ORIGIN)


async def _receive(communicator, timeout=3):
    return json.loads(await communicator.receive_from(timeout=timeout))


async def _receive_until(communicator, predicate, timeout=3):
    """Snapshots until one satisfies `predicate` (pushes are coalesced, so intermediate ones may be skipped)."""
    while True:
        message = await _receive(communicator, timeout)
        if predicate(message):
            return message


@database_sync_to_async
def _setup():
    contest = ContestFactory(slug="clean-rivers")
    ada, bo = UserFactory(display_name="Ada"), UserFactory(display_name="Bo")
    return contest, ada, bo


@database_sync_to_async
def _submit(contest, author):
    return services.points_sync(target=ProposalFactory(contest=contest, author=author))


@database_sync_to_async
def _opt_out(user):
    services.preference_set(user=user, show_on_leaderboards=False)


def _names(snapshot):
    return [entry["name"] for entry in snapshot["entries"]]


async def test_contest_and_site_boards_update_live_and_drop_a_user_who_opts_out(settings):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 50
    contest, ada, bo = await _setup()
    await _submit(contest, bo)
    contest_board = _connect(f"/ws/contests/{contest.slug}/contributors/week/")
    site_board = _connect("/ws/leaderboards/contributors/all/")
    for communicator in (contest_board, site_board):
        connected, _ = await communicator.connect()
        assert connected
    first = await _receive(contest_board)
    assert first["type"] == "contributors"
    assert first["scope"] == "clean-rivers"
    assert _names(first) == ["Bo"]
    assert _names(await _receive(site_board)) == ["Bo"]

    await _submit(contest, ada)
    await _submit(contest, ada)

    def ada_leads(message):
        return _names(message) == ["Ada", "Bo"] and message["entries"][0]["points"] == 20

    pushed = await _receive_until(contest_board, ada_leads)
    assert pushed["version"] > first["version"]
    assert [entry["rank"] for entry in pushed["entries"]] == [1, 2]
    await _receive_until(site_board, ada_leads)

    await _opt_out(ada)
    assert _names(await _receive_until(contest_board, lambda message: "Ada" not in _names(message))) == ["Bo"]
    assert _names(await _receive_until(site_board, lambda message: "Ada" not in _names(message))) == ["Bo"]
    assert publisher.pushes_by_kind.get("cb", 0) > 0
    for communicator in (contest_board, site_board):
        await communicator.disconnect()


async def test_unknown_period_draft_and_unknown_contests_refuse_the_connection():
    draft = await database_sync_to_async(ContestFactory)(draft=True, slug="secret-plan")
    for path in (
        "/ws/leaderboards/contributors/decade/",
        f"/ws/contests/{draft.slug}/contributors/week/",
        "/ws/contests/no-such-contest/contributors/week/",
    ):
        connected, code = await _connect(path).connect()
        assert not connected
        assert code == 4404
