"""Shared helpers for the voting tests: the tallies-equal-ballots check and contest builders."""

from collections import defaultdict

from django.db.models import Sum

from voting.models import ContestTallyShard, PairwiseComparison, ProposalTally, Vote


def assert_tallies_match_votes(contest) -> None:
    """Recompute every tally of the contest from the Vote (and comparison) rows and compare with the stored ones.

    Per proposal: ballots, value_sum, positive, negative (and comparisons / wins for pairwise);
    per contest: the sums over its tally shards.
    """
    expected = defaultdict(lambda: {"ballots": 0, "value_sum": 0, "positive": 0, "negative": 0})
    for proposal_id, value in Vote.objects.filter(contest=contest).values_list("proposal_id", "value"):
        row = expected[proposal_id]
        row["ballots"] += 1
        row["value_sum"] += value
        if contest.voting_method == "updown":
            row["positive"] += value == 1
            row["negative"] += value == -1
    stored = {
        proposal_id: {"ballots": ballots, "value_sum": value_sum, "positive": positive, "negative": negative}
        for proposal_id, ballots, value_sum, positive, negative in ProposalTally.objects.filter(
            contest=contest
        ).values_list("proposal_id", "ballots", "value_sum", "positive", "negative")
    }
    # A tally row left at zero after a withdrawal is the same as no row.
    stored = {pk: row for pk, row in stored.items() if any(row.values())}
    assert stored == dict(expected), "proposal tallies differ from the ballots stored"

    comparisons = PairwiseComparison.objects.filter(contest=contest, winner__isnull=False)
    expected_pairs = defaultdict(lambda: {"comparisons": 0, "wins": 0})
    for low, high, winner in comparisons.values_list("proposal_low_id", "proposal_high_id", "winner_id"):
        for proposal_id in (low, high):
            expected_pairs[proposal_id]["comparisons"] += 1
            expected_pairs[proposal_id]["wins"] += proposal_id == winner
    stored_pairs = {
        pk: {"comparisons": c, "wins": w}
        for pk, c, w in ProposalTally.objects.filter(contest=contest, comparisons__gt=0).values_list(
            "proposal_id", "comparisons", "wins"
        )
    }
    assert stored_pairs == dict(expected_pairs), "pairwise tallies differ from the judgements stored"

    shards = ContestTallyShard.objects.filter(contest=contest).aggregate(b=Sum("ballots"), v=Sum("value_sum"))
    ballots = sum(row["ballots"] for row in expected.values()) + comparisons.count()
    value_sum = sum(row["value_sum"] for row in expected.values())
    assert (shards["b"] or 0, shards["v"] or 0) == (ballots, value_sum), "contest totals differ from the ballots"
