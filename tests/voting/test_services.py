"""Voting services and the leaderboard selector: values, refusals, tallies and per-method ordering."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting import leaderboard, selectors, services
from voting.models import ProposalTally, Vote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["+-1", "²", "1.0", " ", "1e0", "0x1", 1.0, b"1"])
def test_value_parse_refuses_odd_text_without_crashing(raw):
    contest = ContestFactory.build(voting_method="updown")
    with pytest.raises(ValidationError):
        services.vote_value_parse(contest=contest, raw=raw)


@pytest.mark.parametrize(("raw", "value"), [(1, 1), ("-1", -1), (" +1 ", 1), ("01", 1)])
def test_value_parse_accepts_whole_numbers_as_text(raw, value):
    contest = ContestFactory.build(voting_method="updown")
    assert services.vote_value_parse(contest=contest, raw=raw) == value


def test_refusals_leave_no_trace():
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    with pytest.raises(PermissionDenied):
        services.vote_cast(voter=proposal.author, proposal=proposal, value=1)
    with pytest.raises(PermissionDenied):
        services.vote_cast(voter=UserFactory(verified=False), proposal=proposal, value=1)
    with pytest.raises(ValidationError):
        services.vote_cast(voter=UserFactory(), proposal=proposal, value=0)
    assert not Vote.objects.exists()
    assert not ProposalTally.objects.filter(ballots__gt=0).exists()
    assert_tallies_match_votes(contest)


def test_random_sequence_of_casts_changes_and_withdrawals_keeps_tallies_exact():
    contest = ContestFactory(voting=True, voting_method="updown")
    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    voters = [UserFactory() for _ in range(4)]
    rng = random.Random(7)
    for _ in range(60):
        voter, proposal = rng.choice(voters), rng.choice(proposals)
        try:
            if rng.random() < 0.25:
                services.vote_withdraw(voter=voter, proposal=proposal)
            else:
                services.vote_cast(voter=voter, proposal=proposal, value=rng.choice([1, -1]))
        except services.VoteConflict:
            pass
        assert_tallies_match_votes(contest)
    # The stored Wilson score equals the Python one.
    for tally in ProposalTally.objects.filter(contest=contest):
        from voting.ranking import wilson_lower_bound

        assert tally.score == pytest.approx(wilson_lower_bound(tally.positive, tally.negative))


# --- leaderboard ordering, against hand-computed values ----------------------------------------------


def _proposals(contest, count):
    start = timezone.now() - timedelta(days=3)
    return [
        ProposalFactory(contest=contest, title=f"P{n}", submitted_at=start + timedelta(hours=n))
        for n in range(1, count + 1)
    ]


def _cast(proposal, *values):
    for value in values:
        services.vote_cast(voter=UserFactory(), proposal=proposal, value=value)


def _board(contest):
    return [
        (entry["title"], entry["rank"], entry["score"], entry["votes"])
        for entry in leaderboard.leaderboard_snapshot(contest=contest)["entries"]
    ]


def test_updown_leaderboard_orders_by_wilson_then_net_votes_then_earliest():
    contest = ContestFactory(voting=True, voting_method="updown")
    p1, p2, p3, p4, p5, p6, p7 = _proposals(contest, 7)
    _cast(p1, 1, 1)  # Wilson(2, 0) = 0.3424
    _cast(p2, 1, 1, 1, -1)  # Wilson(3, 1) = 0.3006
    _cast(p3, 1)  # Wilson(1, 0) = 0.2065
    # p4 unvoted: bound 0, net 0
    _cast(p5, -1)  # bound 0, net -1, submitted before p6 ...
    _cast(p6, -1)  # ... which ties with it and comes after
    _cast(p7, -1, -1)  # bound 0, net -2
    assert _board(contest) == [
        ("P1", 1, 34.24, 2),
        ("P2", 2, 30.06, 4),
        ("P3", 3, 20.65, 1),
        ("P4", 4, 0.0, 0),
        ("P5", 5, 0.0, 1),
        ("P6", 5, 0.0, 1),
        ("P7", 6, 0.0, 2),
    ]
    assert_tallies_match_votes(contest)


def test_updown_tie_goes_to_the_earlier_submission_not_the_lower_id():
    contest = ContestFactory(voting=True, voting_method="updown")
    late = ProposalFactory(contest=contest, title="Late", submitted_at=timezone.now() - timedelta(hours=1))
    early = ProposalFactory(contest=contest, title="Early", submitted_at=timezone.now() - timedelta(hours=5))
    _cast(late, 1)
    _cast(early, 1)
    assert [row[0] for row in _board(contest)] == ["Early", "Late"]


def test_approval_leaderboard_orders_by_supports_then_earliest():
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=3)
    p1, p2, p3, _p4 = _proposals(contest, 4)
    voters = [UserFactory() for _ in range(3)]
    for voter in voters:
        services.vote_cast(voter=voter, proposal=p3, value=1)
    services.vote_cast(voter=voters[0], proposal=p2, value=1)
    services.vote_cast(voter=voters[1], proposal=p1, value=1)
    assert _board(contest) == [
        ("P3", 1, 3.0, 3),
        ("P1", 2, 1.0, 1),
        ("P2", 2, 1.0, 1),
        ("P4", 3, 0.0, 0),
    ]
    assert selectors.approval_remaining(voter=voters[0], contest=contest) == 1
    assert_tallies_match_votes(contest)


def test_stars_leaderboard_uses_the_prior_weight_and_the_contest_mean():
    contest = ContestFactory(voting=True, voting_method="stars", stars_prior_weight=2)
    p1, p2, p3, _p4 = _proposals(contest, 4)
    _cast(p1, 5, 5)
    _cast(p2, 4)
    _cast(p3, 3, 3, 3, 3)
    # Contest mean C = 26 / 7; B = (2·C + Σ) / (2 + n):
    # P1 (7.43 + 10) / 4 = 4.36, P2 (7.43 + 4) / 3 = 3.81, P4 (no votes) = C = 3.71, P3 (7.43 + 12) / 6 = 3.24.
    assert _board(contest) == [
        ("P1", 1, 4.36, 2),
        ("P2", 2, 3.81, 1),
        ("P4", 3, 3.71, 0),
        ("P3", 4, 3.24, 4),
    ]
    assert_tallies_match_votes(contest)


def test_stars_leaderboard_top_n_keeps_the_whole_contest_prior():
    contest = ContestFactory(voting=True, voting_method="stars", stars_prior_weight=2)
    p1, p2, p3, _p4 = _proposals(contest, 4)
    _cast(p1, 5, 5)
    _cast(p2, 4)
    _cast(p3, 3, 3, 3, 3)
    top = leaderboard.leaderboard_snapshot(contest=contest, limit=2)["entries"]
    assert [(entry["title"], entry["score"]) for entry in top] == [("P1", 4.36), ("P2", 3.81)]


def test_pairwise_leaderboard_orders_by_consistent_judgements():
    contest = ContestFactory(voting=True, voting_method="pairwise")
    proposals = _proposals(contest, 3)
    rank_of = {p.pk: n for n, p in enumerate(proposals)}
    for _ in range(3):
        voter = UserFactory()
        while (pair := services.pair_offer(voter=voter, contest=contest, rng=random.Random(1))) is not None:
            better, worse = sorted(pair, key=lambda p: rank_of[p.pk])
            services.pair_judge(voter=voter, contest=contest, winner_id=better.pk, loser_id=worse.pk)
    board = _board(contest)
    assert [row[0] for row in board] == ["P1", "P2", "P3"]
    assert [row[1] for row in board] == [1, 2, 3]
    assert [row[3] for row in board] == [6, 6, 6]  # three voters, each judged both pairs of every proposal
    assert board[0][2] > 50 > board[2][2]
    # The displayed scores of compared proposals average 50.
    assert sum(row[2] for row in board) == pytest.approx(150, abs=0.05)
    assert_tallies_match_votes(contest)


def test_hidden_proposal_leaves_the_leaderboard():
    contest = ContestFactory(voting=True, voting_method="updown")
    p1, p2 = _proposals(contest, 2)
    _cast(p1, 1, 1)
    _cast(p2, 1)
    p1.is_hidden = True
    p1.save()
    assert [row[0] for row in _board(contest)] == ["P2"]


def test_snapshot_versions_grow():
    contest = ContestFactory(voting=True, voting_method="updown")
    first = leaderboard.leaderboard_snapshot(contest=contest)["version"]
    second = leaderboard.leaderboard_snapshot(contest=contest)["version"]
    assert second > first


def test_tallies_rebuild_also_rebuilds_approval_budgets():
    """Ballots stored outside vote_cast (imports, demo data) leave budgets right after a rebuild."""
    from voting.models import ApprovalBudget
    from voting.tallies import tallies_rebuild

    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=3)
    first, second = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    voter = UserFactory()
    Vote.objects.create(voter=voter, proposal=first, contest=contest, value=1)
    Vote.objects.create(voter=voter, proposal=second, contest=contest, value=1)

    tallies_rebuild(contest=contest)

    assert ApprovalBudget.objects.get(voter=voter, contest=contest).used == 2
    assert selectors.approval_remaining(voter=voter, contest=contest) == 1


def test_stars_leaderboard_places_unvoted_proposals_at_the_prior(django_assert_num_queries):
    """Unvoted proposals rank as the contest mean: above a weak proposal, below a strong one."""
    contest = ContestFactory(voting=True, voting_method="stars", stars_prior_weight=1)
    strong, weak, unvoted = (ProposalFactory(contest=contest, title=title) for title in ("Strong", "Weak", "Unvoted"))
    for value, proposal in ((5, strong), (5, strong), (1, weak), (1, weak)):
        services.vote_cast(voter=UserFactory(), proposal=proposal, value=value)
    # Contest mean 3; Bayesian averages with m = 1: strong (10 + 3) / 3 = 4.33, weak (2 + 3) / 3 = 1.67, unvoted 3.
    entries = leaderboard.leaderboard_entries(contest=contest, limit=3)
    assert [entry.title for entry in entries] == ["Strong", "Unvoted", "Weak"]
    assert [round(entry.score, 2) for entry in entries] == [4.33, 3.0, 1.67]
    # With the top N all above the prior, the unvoted ones are not even looked up.
    with django_assert_num_queries(2):  # contest totals, top N
        top = leaderboard.leaderboard_entries(contest=contest, limit=1)
    assert [entry.title for entry in top] == ["Strong"]


def test_a_stars_snapshot_reads_the_contest_totals_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contest = ContestFactory(voting=True, voting_method="stars")
    services.vote_cast(voter=UserFactory(), proposal=ProposalFactory(contest=contest), value=4)
    with CaptureQueriesContext(connection) as queries:
        leaderboard.leaderboard_snapshot(contest=contest)
    assert sum('FROM "voting_contesttallyshard"' in query["sql"] for query in queries.captured_queries) == 1
