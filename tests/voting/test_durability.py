"""Group commit is durable: every vote answered 201 is in the database, even when the server is killed (-9) right after."""

import http.client
import json
import signal
import threading

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import (
    assert_tallies_match_votes,
    free_port,
    start_asgi_server,
    stop_process,
    wait_until_serving,
)
from voting.models import Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="group commit's committer serves PostgreSQL"),
]

VOTERS = 16
KILL_AFTER = 120  # 201 responses before the kill


def test_every_vote_answered_201_survives_kill_9_of_the_server_under_load():
    # Twenty new accounts voting alike in one burst is what the integrity monitor holds back; this test counts storage.
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    proposals = [ProposalFactory(contest=contest) for _ in range(40)]
    tokens = [Token.objects.create(user=UserFactory()).key for _ in range(VOTERS)]
    port = free_port()
    server = start_asgi_server(
        port=port,
        redis_url=settings.REDIS_URL,
        prefix="durability",
        extra_env={"VOTE_RATE_LIMIT": "1000000/s", "API_WRITE_RATE_LIMIT": "1000000/s"},
    )
    accepted: list[tuple[str, int]] = []
    lock = threading.Lock()
    killed = threading.Event()
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}/api/v1/contests/{contest.slug}/leaderboard/")

        def vote(token: str) -> None:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            for proposal in proposals:
                try:
                    client.request("POST", f"/api/v1/proposals/{proposal.pk}/vote/", json.dumps({"value": 1}), headers)
                    response = client.getresponse()
                    response.read()
                except OSError:
                    return  # the server is gone
                if response.status == 201:
                    with lock:
                        accepted.append((token, proposal.pk))
                        if len(accepted) >= KILL_AFTER and not killed.is_set():
                            killed.set()
                            server.send_signal(signal.SIGKILL)  # other requests are mid-commit now
                            return

        threads = [threading.Thread(target=vote, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert killed.is_set(), "the server was not killed under load"
        server.wait(timeout=10)
        assert server.returncode == -signal.SIGKILL
    finally:
        stop_process(server)
    user_of = dict(Token.objects.filter(key__in=tokens).values_list("key", "user_id"))
    stored = set(Vote.objects.filter(contest=contest).values_list("voter_id", "proposal_id"))
    missing = [(user_of[token], pk) for token, pk in accepted if (user_of[token], pk) not in stored]
    assert len(accepted) >= KILL_AFTER
    assert missing == [], f"{len(missing)} votes answered 201 are not in the database"
    assert_tallies_match_votes(contest)
