"""Ballots and the tallies kept beside them.

Every ballot write updates the tallies in the same transaction, with
increments done by the database (never read-modify-write in Python), so the
tallies always equal what the ballots say, under any concurrency. The
contest-wide counters are spread over a few shard rows so that a busy contest's
votes do not queue on one row lock.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

CONTEST_TALLY_SHARDS = 16


class Vote(models.Model):
    """One person's ballot on one proposal (updown: ±1, approval: 1, stars: 1–5)."""

    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="votes")
    # Denormalised from the proposal: approval budgets and per-contest reads need it without a join.
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("value"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["voter", "proposal"], name="voting_vote_unique_voter_proposal"),
            models.CheckConstraint(
                condition=models.Q(value__gte=-1, value__lte=5) & ~models.Q(value=0), name="voting_vote_value_valid"
            ),
        ]
        indexes = [models.Index(fields=["contest", "voter"], name="voting_vote_contest_voter_idx")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.proposal_id}: {self.value}"


class ApprovalBudget(models.Model):
    """How many supports a citizen has used in an approval contest; capped by a conditional update."""

    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "contest"], name="voting_budget_unique_voter_contest"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} in {self.contest_id}: {self.used}"


class PairwiseComparison(models.Model):
    """One person's judgement of one pair (stored low id first); winner is null when they skipped it."""

    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="comparisons")
    proposal_low = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    proposal_high = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    winner = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "proposal_low", "proposal_high"], name="voting_comparison_unique_voter_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(proposal_low__lt=models.F("proposal_high")), name="voting_comparison_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.proposal_low_id} vs {self.proposal_high_id} → {self.winner_id}"


class PairwiseOffer(models.Model):
    """The pair last handed to a citizen; only this pair can be judged, once (no forged or replayed pairs)."""

    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    proposal_low = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    proposal_high = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "contest"], name="voting_offer_unique_voter_contest"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.proposal_low_id} vs {self.proposal_high_id}"


class ProposalTally(models.Model):
    """Running totals of one proposal's ballots, and its stored ranking score where one exists.

    `score` is kept for updown (Wilson lower bound) and approval (supports) so the
    leaderboard's top N is an index scan however many proposals a contest has.
    """

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    ballots = models.IntegerField(default=0)
    value_sum = models.IntegerField(default=0)
    positive = models.IntegerField(default=0)
    negative = models.IntegerField(default=0)
    comparisons = models.IntegerField(default=0)
    wins = models.IntegerField(default=0)
    score = models.FloatField(default=0.0)

    class Meta:
        indexes = [models.Index(fields=["contest", "-score"], name="voting_tally_contest_score_idx")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.ballots} ballots"


class ContestTallyShard(models.Model):
    """A slice of a contest's totals; the contest totals are the sum of its shards."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    shard = models.PositiveSmallIntegerField()
    ballots = models.IntegerField(default=0)
    value_sum = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "shard"], name="voting_shard_unique_contest_shard"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}#{self.shard}: {self.ballots}"


class ProposalExposure(models.Model):
    """How many distinct signed-in viewers were shown the proposal while voting was open (voting.exposure).

    A viewer counts once per proposal per day (deduplicated in the cache), whether the
    proposal was on a list page, in a pair or on its own page.
    """

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="exposure"
    )
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    exposures = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.proposal_id}: shown {self.exposures} times"
