"""The vote fast lane answers new token ballots on the event loop, and hands everything else to Django unchanged."""

import asyncio
import json
import time

import pytest
import redis
from channels.testing import HttpCommunicator
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.db import connection
from django.test import override_settings
from rest_framework.authtoken.models import Token

from engagement.models import PointsEntry
from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting.api.fastlane import vote_fast_lane
from voting.models import Vote
from voting.signals import ballot_cast, ballots_cast

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL, reason="the fast lane needs PostgreSQL and Redis"
    ),
]


class CountingApp:
    """Django's ASGI application, counting the requests that reach it."""

    def __init__(self) -> None:
        self.django = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        return await self.django(scope, receive, send)


@pytest.fixture
def lane():
    inner = CountingApp()
    return inner, vote_fast_lane(inner)


def _post(app, proposal_id: int, token: str, value=1) -> tuple[int, dict, dict]:
    body = json.dumps({"value": value}).encode()

    async def go():
        communicator = HttpCommunicator(
            app,
            "POST",
            f"/api/v1/proposals/{proposal_id}/vote/",
            body=body,
            headers=[
                (b"host", b"testserver"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"authorization", f"Token {token}".encode()),
            ],
        )
        response = await communicator.get_response(timeout=20)
        headers = {name.decode().lower(): value.decode() for name, value in response["headers"]}
        return response["status"], json.loads(response["body"] or b"{}"), headers

    return asyncio.run(go())


def _setup(method="updown", proposals=3):
    contest = ContestFactory(voting=True, voting_method=method, integrity_monitoring=False)  # counts storage
    items = [ProposalFactory(contest=contest) for _ in range(proposals)]
    voter = UserFactory()
    return contest, items, voter, Token.objects.create(user=voter).key


def test_a_known_token_votes_without_django_and_gets_the_same_answer(lane):
    inner, app = lane
    contest, (first, second, third), voter, token = _setup()
    heard = []

    def receiver(**kwargs):
        heard.append(kwargs)

    def batch_receiver(ballots, **kwargs):
        heard.extend(ballots)

    ballot_cast.connect(receiver, dispatch_uid="test-fastlane")  # Django's path announces one ballot
    ballots_cast.connect(batch_receiver, dispatch_uid="test-fastlane")  # the committer, the lane's batch
    try:
        result = _post(app, first.pk, token)
        assert result[0] == 201, result  # Django learns the token
        assert inner.calls == 1
        # A proposal never voted on in this process: its facts are loaded by the lane itself.
        status, body, headers = _post(app, second.pk, token, -1)
        assert (status, body) == (201, {"proposal_id": second.pk, "value": -1, "remaining_supports": None})
        assert inner.calls == 1, "the fast lane answered"
        assert headers["content-type"] == "application/json"
        assert headers["x-content-type-options"] == "nosniff"
        assert Vote.objects.get(voter=voter, proposal=second).value == -1
        deadline = time.monotonic() + 10
        while len(heard) < 2 and time.monotonic() < deadline:  # sent after the commit, from another thread
            time.sleep(0.05)
        assert [(k["proposal_id"], k["value"]) for k in heard] == [(first.pk, 1), (second.pk, -1)]
        assert heard[1]["vote_id"] == Vote.objects.get(voter=voter, proposal=second).pk
    finally:
        ballot_cast.disconnect(dispatch_uid="test-fastlane")
        ballots_cast.disconnect(dispatch_uid="test-fastlane")
    # The same ballot again is not new: Django answers, with its message.
    status, body, _headers = _post(app, second.pk, token, -1)
    assert status == 409 and body["detail"] == "This vote is already recorded."
    assert inner.calls == 2
    assert PointsEntry.objects.filter(user=voter).count() == 1  # points once per contest
    assert_tallies_match_votes(contest)


def test_a_token_revoked_in_another_process_is_refused(lane):
    inner, app = lane
    _contest, (first, second, _third), voter, token = _setup()
    assert _post(app, first.pk, token)[0] == 201
    with connection.cursor() as cursor:  # as another process would: no signal reaches this one
        cursor.execute("DELETE FROM authtoken_token WHERE key = %s", [token])
    assert _post(app, second.pk, token)[0] == 401
    assert not Vote.objects.filter(voter=voter, proposal=second).exists()


def test_a_proposal_hidden_by_a_bulk_update_is_refused_by_django(lane):
    inner, app = lane
    _contest, (first, second, _third), voter, token = _setup()
    assert _post(app, first.pk, token)[0] == 201
    assert _post(app, second.pk, token, 0)[0] == 400  # facts of `second` now cached
    Proposal.objects.filter(pk=second.pk).update(is_hidden=True)
    assert _post(app, second.pk, token)[0] == 404
    assert not Vote.objects.filter(proposal=second).exists()


def test_the_vote_rate_limit_counts_each_request_once(lane):
    inner, app = lane
    _contest, proposals, voter, token = _setup(proposals=6)
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{settings.CHANNEL_PREFIX}:ratelimit:vote:*"):  # other tests' votes this minute
        client.delete(key)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "vote": "4/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [_post(app, proposal.pk, token)[0] for proposal in proposals]
    assert statuses == [201, 201, 201, 201, 429, 429]
    assert Vote.objects.filter(voter=voter).count() == 4


def test_approval_and_sessions_go_to_django(lane):
    inner, app = lane
    _contest, (first, second, _third), _voter, token = _setup(method="approval")
    assert _post(app, first.pk, token)[0] == 201
    calls = inner.calls
    status, body, _headers = _post(app, second.pk, token)
    assert status == 201 and body["remaining_supports"] is not None
    assert inner.calls == calls + 1


def test_a_proof_of_work_challenge_due_is_asked_for_by_django(lane):
    inner, app = lane
    _contest, proposals, voter, token = _setup(proposals=4)
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{settings.CHANNEL_PREFIX}:ratelimit:pow:vote:*"):
        client.delete(key)
    with override_settings(POW_VOTE_RATE="2/60"):
        statuses = [_post(app, proposal.pk, token)[0] for proposal in proposals]
    assert statuses[:2] == [201, 201]
    assert statuses[2] == 428  # the third ballot in the window needs the work, fast lane or not
    assert Vote.objects.filter(voter=voter).count() == 2
