"""Group commit: ballots written together keep every rule, and a stale cache of vote facts never lets a ballot in."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection, connections, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from contests.models import Contest
from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting import votefacts
from voting.groupcommit import Ballot, ballots_store, committer
from voting.models import ApprovalBudget, ProposalTally, Vote


def _vote(user, proposal, value=1):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": value}, format="json")


def _ballot(voter, proposal, value=1) -> Ballot:
    contest = proposal.contest
    return Ballot(
        voter_id=voter.pk, proposal_id=proposal.pk, contest_id=contest.pk, method=contest.voting_method, value=value
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda p, voter: Proposal.objects.filter(pk=p.pk).update(is_hidden=True),
        lambda p, voter: Proposal.objects.filter(pk=p.pk).update(status=Proposal.Status.WITHDRAWN),
        lambda p, voter: Contest.objects.filter(pk=p.contest_id).update(voting_closes_at=timezone.now()),
        lambda p, voter: Contest.objects.filter(pk=p.contest_id).update(is_published=False),
        lambda p, voter: Proposal.objects.filter(pk=p.pk).update(author=voter),
        lambda p, voter: ProposalCoAuthorFactory(proposal=p, user=voter),
        lambda p, voter: EmailAddress.objects.filter(user=voter).update(verified=False),
        lambda p, voter: Contest.objects.filter(pk=p.contest_id).update(vote_verification="phone"),
    ],
    ids=["hidden", "withdrawn", "voting closed", "unpublished", "own", "co-written", "unverified", "phone asked"],
)
def test_a_change_the_cache_did_not_hear_of_still_refuses_the_ballot(change):
    # Twenty new accounts voting alike in one burst is what the integrity monitor holds back; this test counts storage.
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    proposal = ProposalFactory(contest=contest)
    first, voter = UserFactory(), UserFactory()
    assert _vote(first, proposal).status_code == 201  # the facts of the proposal are now cached
    assert votefacts.voter_verified(voter)
    change(proposal, voter)
    # Bulk updates send no signal, so the cached facts still say yes; the INSERT says no.
    response = _vote(User.objects.get(pk=voter.pk), proposal)  # the user as a new request loads it
    assert response.status_code in (403, 404), response.content
    assert not Vote.objects.filter(voter=voter).exists()
    assert_tallies_match_votes(contest)


@pytest.mark.django_db
def test_the_cache_forgets_a_closed_voting_window_and_says_why():
    # Twenty new accounts voting alike in one burst is what the integrity monitor holds back; this test counts storage.
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    proposal = ProposalFactory(contest=contest)
    assert _vote(UserFactory(), proposal).status_code == 201
    contest.voting_closes_at = timezone.now() - timedelta(seconds=1)
    contest.save()
    response = _vote(UserFactory(), proposal)
    assert response.status_code == 403
    assert response.json()["detail"] == "Voting is not open for this contest."


@pytest.mark.django_db
def test_one_batch_keeps_one_ballot_per_person_and_the_approval_budget():
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=2)
    proposals = [ProposalFactory(contest=contest) for _ in range(4)]
    updown = ContestFactory(voting=True, voting_method="updown")
    other = ProposalFactory(contest=updown)
    citizen, second = UserFactory(), UserFactory()
    batch = [
        *(_ballot(citizen, proposal) for proposal in proposals),  # four supports, two allowed
        _ballot(second, other, 1),
        _ballot(second, other, -1),  # the same ballot twice in one batch: left to the one-ballot path
        _ballot(proposals[0].author, proposals[0]),  # own proposal: refused by the INSERT
    ]
    with transaction.atomic():
        results = ballots_store(batch)
    assert [result is not None for result in results] == [True, True, False, False, True, False, False]
    assert Vote.objects.filter(voter=citizen).count() == 2
    assert ApprovalBudget.objects.get(voter=citizen, contest=contest).used == 2
    assert list(Vote.objects.filter(voter=second).values_list("value", flat=True)) == [1]
    assert_tallies_match_votes(contest)
    assert_tallies_match_votes(updown)
    assert ProposalTally.objects.get(proposal=other).score > 0


@pytest.mark.django_db
def test_the_summed_tally_scores_equal_one_by_one_scores():
    """Two proposals reaching the same counts by different batches get bit-identical scores (ties stay ties)."""
    # Twenty new accounts voting alike in one burst is what the integrity monitor holds back; this test counts storage.
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    together, one_by_one = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    voters = [UserFactory() for _ in range(5)]
    values = [1, 1, -1, 1, 1]
    with transaction.atomic():
        ballots_store([_ballot(voter, together, value) for voter, value in zip(voters, values, strict=True)])
    for voter, value in zip(voters, values, strict=True):
        with transaction.atomic():
            ballots_store([_ballot(voter, one_by_one, value)])
    scores = dict(ProposalTally.objects.filter(contest=contest).values_list("proposal_id", "score"))
    assert scores[together.pk] == scores[one_by_one.pk] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the committer thread serves PostgreSQL")
def test_parallel_new_ballots_share_transactions_and_every_201_is_stored():
    # Twenty new accounts voting alike in one burst is what the integrity monitor holds back; this test counts storage.
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)
    proposals = [ProposalFactory(contest=contest) for _ in range(30)]
    voters = [UserFactory() for _ in range(20)]
    batches_before = committer.batches
    barrier = threading.Barrier(len(voters))
    statuses: list[int] = []
    lock = threading.Lock()

    def cast(voter):
        try:
            barrier.wait(timeout=30)
            for proposal in proposals:
                status = _vote(voter, proposal, 1 if proposal.pk % 2 else -1).status_code
                with lock:
                    statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(voter,)) for voter in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Counter(statuses) == {201: 600}
    assert Vote.objects.filter(contest=contest).count() == 600
    assert_tallies_match_votes(contest)
    assert committer.batches - batches_before < 600  # ballots were written together


@pytest.mark.django_db
def test_one_miss_caches_every_public_proposal_of_the_contest(django_assert_max_num_queries):
    """A busy contest: voters move on to proposals not yet voted on here; one miss loads them all at once."""
    votefacts.forget_everything()
    contest = ContestFactory(voting=True, voting_method="updown")
    first, *others = (ProposalFactory(contest=contest) for _ in range(30))
    cowriter = UserFactory()
    ProposalCoAuthorFactory(proposal=others[0], user=cowriter)
    draft = ProposalFactory(contest=contest, status=Proposal.Status.DRAFT)
    hidden = ProposalFactory(contest=contest, is_hidden=True)
    elsewhere = ProposalFactory()
    with django_assert_max_num_queries(4):
        assert votefacts.proposal_facts(first.pk) is not None
    for proposal in others:
        facts = votefacts.cached_proposal_facts(proposal.pk)
        assert facts is not None and facts.contest_id == contest.pk and proposal.author_id in facts.author_ids
    assert not votefacts.cached_proposal_facts(others[0].pk).votable_by(cowriter.pk)
    assert votefacts.cached_proposal_facts(others[1].pk).votable_by(cowriter.pk)
    for unseen in (draft, hidden, elsewhere):
        assert votefacts.cached_proposal_facts(unseen.pk) is None
    hidden.is_hidden = False
    hidden.save()  # a change heard in this process: the warmed contest still loads the newly public one
    assert votefacts.proposal_facts(hidden.pk) is not None
