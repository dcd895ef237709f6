"""The live task board over the websocket: a claim and a release push the slots left."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from live.publisher import publisher
from microtasks import claims
from tests.factories import AgencyFactory, UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
ORIGIN = [(b"origin", b"http://127.0.0.1")]


async def _receive_until(communicator, predicate, timeout=3):
    while True:
        message = json.loads(await communicator.receive_from(timeout=timeout))
        if predicate(message):
            return message


@database_sync_to_async
def _setup():
    return CampaignFactory(agency=AgencyFactory(), title="Count bicycles", slots=2), UserFactory()


def _slots(snapshot, campaign_id):
    return next(entry["slots_left"] for entry in snapshot["entries"] if entry["campaign_id"] == campaign_id)


async def test_claims_and_releases_update_the_board_live(settings):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 50
    campaign, citizen = await _setup()
    board = WebsocketCommunicator(application, "/ws/tasks/board/", headers=ORIGIN)
    connected, _ = await board.connect()
    assert connected
    first = await _receive_until(board, lambda m: m["type"] == "tasks")
    assert _slots(first, campaign.pk) == 2
    claim = await database_sync_to_async(claims.claim_create)(citizen=citizen, campaign_id=campaign.pk)
    taken = await _receive_until(board, lambda m: _slots(m, campaign.pk) == 1)
    assert taken["version"] > first["version"]
    await database_sync_to_async(claims.claim_release)(citizen=citizen, claim_id=claim.pk)
    await _receive_until(board, lambda m: _slots(m, campaign.pk) == 2)
    await board.disconnect()
    await database_sync_to_async(publisher.wait_idle)(timeout=3)
