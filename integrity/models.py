"""What the integrity monitor knows about ballots, and the ballots it holds back for review.

Network addresses and devices are kept only as keyed hashes (HMAC with the site's secret)
of the network prefix (IPv4 /24, IPv6 /48) and of the client description: enough to see
that accounts share a network or a device, never an address.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotContext(models.Model):
    """The facts of one ballot at the moment it was cast (voting.signals.ballot_cast)."""

    vote_id = models.PositiveBigIntegerField(unique=True)
    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    network = models.CharField(max_length=32, db_index=True)
    device = models.CharField(max_length=32)
    account_age_days = models.FloatField()
    prior_ballots = models.PositiveIntegerField(default=0)
    cast_at = models.DateTimeField()
    # A manager released this ballot: the monitor never holds it back again.
    cleared = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["contest", "proposal"], name="integrity_ctx_contest_idx")]

    def __str__(self) -> str:
        return f"ballot {self.vote_id} in {self.contest_id}"


class QuarantinedBallot(models.Model):
    """A ballot held back from the public ranking until a manager releases or voids it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        RELEASED = "released", _("Released")
        VOIDED = "voided", _("Voided")

    context = models.OneToOneField(BallotContext, on_delete=models.CASCADE, related_name="quarantine")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ballot under review")
        verbose_name_plural = _("ballots under review")
        indexes = [models.Index(fields=["contest", "status"], name="integrity_held_status_idx")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.proposal_id}: {self.status}"
