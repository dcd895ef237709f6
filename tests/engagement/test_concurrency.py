"""Parallel awards on PostgreSQL: the daily cap and the one-award-per-object rule hold under races."""

import threading

import pytest
from django.db import close_old_connections, connection

from engagement import services
from engagement.ledger_rules import points_actions
from engagement.models import PointsEntry
from tests.factories import ContestFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_parallel(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            call()
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and real concurrent connections")


def test_parallel_votes_in_many_contests_never_pass_the_daily_cap():
    _needs_postgres()
    voter = UserFactory()
    contests = [ContestFactory(voting=True) for _ in range(12)]
    _run_in_parallel(
        [lambda contest=contest: services.contest_voted(user_id=voter.pk, contest=contest) for contest in contests]
    )
    cap = points_actions["contest_voted"].daily_cap
    assert PointsEntry.objects.filter(user=voter).count() == cap


def test_the_same_award_requested_in_parallel_is_written_once():
    _needs_postgres()
    voter = UserFactory()
    contest = ContestFactory(voting=True)
    _run_in_parallel([lambda: services.contest_voted(user_id=voter.pk, contest=contest) for _ in range(8)])
    assert PointsEntry.objects.filter(user=voter).count() == 1
