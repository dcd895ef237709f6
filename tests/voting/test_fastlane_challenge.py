"""The vote fast lane does not let an account past POW_VOTE_RATE skip the proof of work."""

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.common.test_pow import solve
from tests.voting.test_fastlane import CountingApp, _post, _setup
from voting.api.fastlane import vote_fast_lane
from voting.models import Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL, reason="the fast lane needs PostgreSQL and Redis"
    ),
]


def test_past_the_rate_the_fast_lane_hands_the_ballot_to_django_which_asks_for_the_proof(settings):
    settings.POW_VOTE_RATE = "2/600"
    settings.POW_VOTE_DIFFICULTY = 8
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{settings.CHANNEL_PREFIX}:ratelimit:pow:*"):
        client.delete(key)
    inner = CountingApp()
    app = vote_fast_lane(inner)
    _contest, proposals, voter, token = _setup(proposals=4)
    assert _post(app, proposals[0].pk, token)[0] == 201  # Django learns the token (counted once)
    assert _post(app, proposals[1].pk, token)[0] == 201  # the lane (counted once)
    assert inner.calls == 1
    status, body, _headers = _post(app, proposals[2].pk, token)
    assert status == 428 and body["challenge"]
    assert inner.calls == 2
    assert not Vote.objects.filter(voter=voter, proposal=proposals[2]).exists()
    assert solve(body["challenge"])  # solvable; the API path with headers is tested in tests/common/test_pow.py
