"""Ballots under real parallel requests on PostgreSQL: tallies stay exact and the approval limit holds.

Each thread drives the API with its own client and so its own database connection
(Django's connections are per thread); a Barrier makes them start together.
"""

import random
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting.models import ApprovalBudget, ProposalTally, Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel PostgreSQL connections"),
]

THREADS = 20


def _run_parallel(jobs_per_thread: list[list], work) -> list:
    """Run work(job) for every job, one list of jobs per thread, all threads released at once."""
    barrier = threading.Barrier(len(jobs_per_thread))
    results, errors = [], []
    lock = threading.Lock()

    def worker(jobs):
        try:
            barrier.wait(timeout=30)
            for job in jobs:
                outcome = work(job)
                with lock:
                    results.append(outcome)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            with lock:
                errors.append(error)
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=worker, args=(jobs,)) for jobs in jobs_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert not errors, errors
    return results


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_parallel_updown_casts_changes_and_withdrawals_keep_tallies_exact():
    contest = ContestFactory(voting=True, voting_method="updown", integrity_monitoring=False)  # counts storage
    proposals = [ProposalFactory(contest=contest) for _ in range(5)]
    citizens = [UserFactory() for _ in range(20)]
    rng = random.Random(42)
    # 200 requests; the same citizen's requests land on several threads, so they race on one ballot.
    requests = [
        (rng.choice(citizens), rng.choice(proposals), rng.choice(["up", "up", "down", "down", "withdraw"]))
        for _ in range(200)
    ]
    jobs = [requests[n::THREADS] for n in range(THREADS)]

    def work(job):
        citizen, proposal, action = job
        client = _client(citizen)
        url = f"/api/v1/proposals/{proposal.pk}/vote/"
        if action == "withdraw":
            return client.delete(url).status_code
        return client.post(url, {"value": 1 if action == "up" else -1}, format="json").status_code

    statuses = Counter(_run_parallel(jobs, work))
    assert sum(statuses.values()) == 200
    assert set(statuses) <= {200, 201, 204, 409}, statuses
    assert statuses[201] > 0 and statuses[200] + statuses[204] > 0
    assert_tallies_match_votes(contest)
    # Every request that created a ballot and every withdrawal is accounted for: created - withdrawn = stored.
    assert statuses[201] - statuses[204] == Vote.objects.filter(contest=contest).count()
    stored = ProposalTally.objects.filter(contest=contest)
    assert sum(tally.ballots for tally in stored) == Vote.objects.filter(contest=contest).count()


def test_approval_limit_holds_when_one_citizen_fires_supports_in_parallel():
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=3, integrity_monitoring=False)
    proposals = [ProposalFactory(contest=contest) for _ in range(12)]
    citizen = UserFactory()

    def work(proposal):
        return _client(citizen).post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 1}, format="json")

    responses = _run_parallel([[proposal] for proposal in proposals], work)
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 3, 400: 9}, statuses
    assert all("supports" in r.json()["detail"] for r in responses if r.status_code == 400)
    assert Vote.objects.filter(voter=citizen, contest=contest).count() == 3
    assert ApprovalBudget.objects.get(voter=citizen, contest=contest).used == 3
    assert_tallies_match_votes(contest)


def test_the_same_ballot_sent_twenty_times_in_parallel_is_stored_and_counted_once():
    contest = ContestFactory(voting=True, voting_method="stars", integrity_monitoring=False)
    proposal = ProposalFactory(contest=contest)
    citizen = UserFactory()

    def work(_n):
        return _client(citizen).post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 4}, format="json").status_code

    statuses = Counter(_run_parallel([[n] for n in range(20)], work))
    assert statuses == {201: 1, 409: 19}, statuses
    assert Vote.objects.filter(voter=citizen, proposal=proposal).count() == 1
    tally = ProposalTally.objects.get(proposal=proposal)
    assert (tally.ballots, tally.value_sum) == (1, 4)
    assert_tallies_match_votes(contest)
