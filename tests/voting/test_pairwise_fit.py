"""Pairwise leaderboards do not refit Bradley–Terry on every push of a large contest, and say how fresh they are."""

import pytest

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting import leaderboard, ranking
from voting.models import PairwiseComparison

pytestmark = pytest.mark.django_db


def _judge(contest, winner, loser):
    low, high = sorted((winner.pk, loser.pk))
    PairwiseComparison.objects.create(
        voter=UserFactory(), contest=contest, proposal_low_id=low, proposal_high_id=high, winner_id=winner.pk
    )


@pytest.fixture
def fits(monkeypatch):
    calls = []
    real = ranking.bradley_terry

    def counted(games, **kwargs):
        calls.append(kwargs.get("initial"))
        return real(games, **kwargs)

    monkeypatch.setattr(ranking, "bradley_terry", counted)
    return calls


def test_a_small_contest_counts_every_judgement_in_the_next_snapshot(fits):
    contest = ContestFactory(voting=True, voting_method="pairwise")
    a, b = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    _judge(contest, a, b)
    assert leaderboard.leaderboard_snapshot(contest=contest)["ranking_judgements"] == 1
    assert leaderboard.leaderboard_snapshot(contest=contest)["ranking_judgements"] == 1
    assert len(fits) == 1, "no new judgement, no refit"
    _judge(contest, b, a)
    snapshot = leaderboard.leaderboard_snapshot(contest=contest)
    assert snapshot["ranking_judgements"] == 2 and snapshot["ranking_fitted_at"].endswith("Z")
    assert len(fits) == 2 and fits[1] is not None, "the refit starts from the previous strengths"


def test_a_large_contest_refits_at_most_once_per_interval_and_says_so(fits, monkeypatch):
    monkeypatch.setattr(leaderboard, "PAIRWISE_REFIT_EVERY_PUSH_BELOW", 1)  # as if it had 10,000 proposals
    contest = ContestFactory(voting=True, voting_method="pairwise")
    a, b = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    _judge(contest, a, b)
    assert leaderboard.leaderboard_snapshot(contest=contest)["ranking_judgements"] == 1
    _judge(contest, b, a)
    _judge(contest, b, a)
    stale = leaderboard.leaderboard_snapshot(contest=contest)
    assert stale["ranking_judgements"] == 1 and len(fits) == 1  # within the interval: the last fit, stated
    monkeypatch.setattr(leaderboard, "PAIRWISE_REFIT_SECONDS", 0.0)
    fresh = leaderboard.leaderboard_snapshot(contest=contest)
    assert fresh["ranking_judgements"] == 3 and len(fits) == 2
    assert [entry["proposal_id"] for entry in fresh["entries"]][0] == b.pk


def test_updown_snapshots_carry_no_fit_fields():
    contest = ContestFactory(voting=True, voting_method="updown")
    ProposalFactory(contest=contest)
    assert "ranking_judgements" not in leaderboard.leaderboard_snapshot(contest=contest)
