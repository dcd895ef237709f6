"""Recomputing tallies from the stored ballots, and moving ballots when proposals are merged."""

from django.db import transaction
from django.db.models import Count, F, Q

from contests.models import Contest
from proposals.models import Proposal
from voting import ranking
from voting.models import (
    ApprovalBudget,
    ContestTallyShard,
    PairwiseComparison,
    PairwiseOffer,
    ProposalTally,
    Vote,
)
from voting.services import leaderboard_push_on_commit

Method = Contest.VotingMethod


@transaction.atomic
def tallies_rebuild(*, contest: Contest) -> None:
    """Recompute every tally of the contest from its stored ballots and judgements (audits, imports, demo data)."""
    method = contest.voting_method
    ProposalTally.objects.filter(contest=contest).delete()
    ContestTallyShard.objects.filter(contest=contest).delete()
    totals: dict[int, dict[str, int]] = {}
    for proposal_id, value in Vote.objects.filter(contest=contest).values_list("proposal_id", "value"):
        row = totals.setdefault(
            proposal_id, dict.fromkeys(("ballots", "value_sum", "positive", "negative", "comparisons", "wins"), 0)
        )
        row["ballots"] += 1
        row["value_sum"] += value
        row["positive"] += method == Method.UPDOWN and value == 1
        row["negative"] += method == Method.UPDOWN and value == -1
    judgements = PairwiseComparison.objects.filter(contest=contest, winner__isnull=False)
    for low, high, winner in judgements.values_list("proposal_low_id", "proposal_high_id", "winner_id"):
        for proposal_id in (low, high):
            row = totals.setdefault(
                proposal_id, dict.fromkeys(("ballots", "value_sum", "positive", "negative", "comparisons", "wins"), 0)
            )
            row["comparisons"] += 1
            row["wins"] += proposal_id == winner
    tallies = []
    for proposal_id, row in totals.items():
        if method == Method.UPDOWN:
            score = ranking.wilson_lower_bound(row["positive"], row["negative"])
        elif method == Method.APPROVAL:
            score = float(row["ballots"])
        else:
            score = 0.0
        tallies.append(ProposalTally(proposal_id=proposal_id, contest=contest, score=score, **row))
    ProposalTally.objects.bulk_create(tallies)
    ballots = sum(row["ballots"] for row in totals.values()) if method != Method.PAIRWISE else judgements.count()
    value_sum = sum(row["value_sum"] for row in totals.values())
    ContestTallyShard.objects.create(contest=contest, shard=0, ballots=ballots, value_sum=value_sum)
    if method == Method.APPROVAL:
        # Supports used = supports held; a budget out of step would let someone exceed K or lock them out.
        ApprovalBudget.objects.filter(contest=contest).delete()
        held = Vote.objects.filter(contest=contest).values("voter_id").annotate(used=Count("pk"))
        ApprovalBudget.objects.bulk_create(
            ApprovalBudget(voter_id=row["voter_id"], contest=contest, used=row["used"]) for row in held
        )
    leaderboard_push_on_commit(contest.pk)


def votes_move_on_merge(*, duplicate: Proposal, target: Proposal, **signal_kwargs) -> None:
    """Receiver of proposals.signals.proposal_merged (voting.apps): the duplicate's ballots follow it to the target.

    A voter who already voted on the target, or who wrote it, keeps one ballot only: their
    ballot on the duplicate is dropped (and an approval support returned). Pairwise
    judgements involving the duplicate are dropped: the pair no longer exists. Tallies are
    then rebuilt from the ballots, inside the merge's transaction.
    """
    contest = target.contest
    excluded_voters = set(Vote.objects.filter(proposal=target).values_list("voter_id", flat=True))
    excluded_voters.add(target.author_id)
    excluded_voters.update(target.coauthorships.values_list("user_id", flat=True))
    dropped = Vote.objects.filter(proposal=duplicate, voter_id__in=excluded_voters)
    if contest.voting_method == Method.APPROVAL:
        for voter_id in dropped.values_list("voter_id", flat=True):
            ApprovalBudget.objects.filter(voter_id=voter_id, contest=contest, used__gt=0).update(used=F("used") - 1)
    dropped.delete()
    Vote.objects.filter(proposal=duplicate).update(proposal=target)
    pair_filter = Q(proposal_low=duplicate) | Q(proposal_high=duplicate)
    PairwiseComparison.objects.filter(pair_filter).delete()
    PairwiseOffer.objects.filter(pair_filter).delete()
    tallies_rebuild(contest=contest)
