"""Ballots the group committer stores together reach the monitor as one batch, each with its request's facts."""

import base64
import json
import threading
import time
from concurrent.futures import Future

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_datetime

from config.celery import app as celery_app
from integrity.models import BallotContext
from integrity.services import _keyed_hash, ballot_facts_batcher, ballots_cast_received, network_prefix
from integrity.tasks import integrity_ballots_record
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.groupcommit import Ballot, committer
from voting.models import Vote
from voting.signals import ballots_cast

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the committer thread serves PostgreSQL"),
]


def _ballot(voter, proposal, network: str | None) -> Ballot:
    return Ballot(
        voter_id=voter.pk,
        proposal_id=proposal.pk,
        contest_id=proposal.contest_id,
        method="updown",
        value=1,
        network=network,
        device="Firefox|zh-CN" if network else "",
    )


def test_one_transaction_is_announced_once_and_every_ballot_keeps_its_facts():
    monitored = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=True)
    unmonitored = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    proposals = [ProposalFactory(contest=monitored) for _ in range(3)] + [ProposalFactory(contest=unmonitored)]
    voter = UserFactory()
    announced = []
    ballots_cast.connect(lambda ballots, **kwargs: announced.append(ballots), dispatch_uid="test-batch", weak=False)
    try:
        ballots = [_ballot(voter, proposal, f"203.0.113.{n}") for n, proposal in enumerate(proposals)]
        committer._commit([(ballot, Future()) for ballot in ballots])
    finally:
        ballots_cast.disconnect(dispatch_uid="test-batch")

    assert len(announced) == 1 and len(announced[0]) == 4
    stored = dict(Vote.objects.filter(voter=voter).values_list("proposal_id", "pk"))
    contexts = {c.proposal_id: c for c in BallotContext.objects.filter(voter=voter)}
    # The monitored contest's three ballots are kept (tasks run eagerly in tests), the other contest's not.
    assert set(contexts) == {p.pk for p in proposals[:3]}
    for n, proposal in enumerate(proposals[:3]):
        context = contexts[proposal.pk]
        assert context.vote_id == stored[proposal.pk]
        assert context.network == _keyed_hash(f"net:{network_prefix(f'203.0.113.{n}')}")
        assert "203.0.113" not in context.network  # only a keyed hash is kept


def test_ballots_from_django_are_not_announced_twice():
    """Django's path announces its ballot itself (voting.quarantine.ballot_cast_on_commit): no facts, no batch."""
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=True)
    proposal = ProposalFactory(contest=contest)
    announced = []
    ballots_cast.connect(lambda ballots, **kwargs: announced.append(ballots), dispatch_uid="test-batch", weak=False)
    try:
        committer._commit([(_ballot(UserFactory(), proposal, None), Future())])
    finally:
        ballots_cast.disconnect(dispatch_uid="test-batch")
    assert Vote.objects.filter(proposal=proposal).count() == 1
    assert announced == []


@pytest.mark.skipif(not settings.REDIS_URL, reason="publishes to Redis")
def test_batches_from_many_threads_reach_the_broker_exactly_once_in_few_tasks():
    """With a broker, the batches' facts are held for 100 ms and published together (common.background.TaskBatcher).

    Sixteen threads announce batches while the flusher thread publishes to Redis: every ballot is in
    exactly one task message, none lost or sent twice, and each keeps the time it was announced.
    """
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=True)
    proposals = [ProposalFactory(contest=contest) for _ in range(8)]
    voters = [UserFactory() for _ in range(16)]
    votes = Vote.objects.bulk_create(
        Vote(voter=voter, proposal=proposal, contest=contest, value=1) for voter in voters for proposal in proposals
    )

    def announce(thread_votes):
        for pair in zip(thread_votes[::2], thread_votes[1::2], strict=True):  # batches of two, like the committer's
            facts = [
                {"vote_id": v.pk, "voter_id": v.voter_id, "proposal_id": v.proposal_id, "contest_id": contest.pk}
                | {"value": 1, "network": "203.0.113.7", "device": "Firefox|en"}
                for v in pair
            ]
            ballots_cast_received(ballots=facts)
            time.sleep(0.01)

    queue = redis.Redis.from_url(settings.REDIS_URL)
    celery_app.control.purge()
    celery_app.conf.task_always_eager = False  # publish, as a web process with Redis does
    try:
        threads = [threading.Thread(target=announce, args=(votes[n * 8 : (n + 1) * 8],)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ballot_facts_batcher.flush()
        deadline = time.monotonic() + 10
        while ballot_facts_batcher.busy() and time.monotonic() < deadline:
            time.sleep(0.05)
        messages = [json.loads(raw) for raw in queue.lrange(celery_app.conf.task_default_queue, 0, -1)]
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()

    assert {message["headers"]["task"] for message in messages} == {integrity_ballots_record.name}
    runs = [json.loads(base64.b64decode(message["body"]))[1] for message in messages]  # [args, kwargs, embed]
    published = sorted(ballot["vote_id"] for run in runs for ballot in run["ballots"])
    assert published == sorted(vote.pk for vote in votes)  # each once
    assert len(runs) < 64  # 64 batches announced, fewer messages
    for run in runs:  # what a worker does with each message
        integrity_ballots_record(**run)
    announced_at = {ballot["vote_id"]: parse_datetime(ballot["cast_at"]) for run in runs for ballot in run["ballots"]}
    kept_at = dict(BallotContext.objects.filter(contest=contest).values_list("vote_id", "cast_at"))
    assert kept_at == announced_at  # the time each batch was announced, not the time of the task
