"""Ballots the group committer stores together reach the monitor as one batch, each with its request's facts."""

from concurrent.futures import Future

import pytest
from django.db import connection

from integrity.models import BallotContext
from integrity.services import _keyed_hash, network_prefix
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
