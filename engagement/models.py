"""Points ledger, badges, leaderboard preferences and contributor-board versions."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PointsEntryQuerySet(models.QuerySet):
    def awards(self) -> "PointsEntryQuerySet":
        """Awards (not reversing entries), reversed or not."""
        return self.filter(reverses__isnull=True)

    def active_awards(self) -> "PointsEntryQuerySet":
        """Awards that no later entry reversed: what a user's points are made of."""
        return self.filter(reverses__isnull=True, reversed_by__isnull=True)


class PointsEntry(models.Model):
    """One line of the append-only points ledger: an award (points > 0) or the reversal of one (points < 0).

    Entries are only ever inserted. A user's total is the sum of their entries; an
    award and its reversal cancel out. `sequence` numbers the awards of one
    (user, action, object): content hidden and later restored gets a second award.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="points_entries")
    action = models.CharField(_("action"), max_length=30)  # the key of a registered ledger_rules.ActionRule
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The contest the contribution belongs to (for per-contest boards); kept if the contest goes.
    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.SET_NULL, null=True, blank=True, related_name="points_entries"
    )
    points = models.IntegerField(_("points"))
    sequence = models.PositiveSmallIntegerField(default=1)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="engagement_points_user_time"),
            models.Index(fields=["contest", "created_at"], name="engagement_points_contest_time"),
            models.Index(fields=["created_at"], name="engagement_points_time"),
            models.Index(fields=["content_type", "object_id"], name="engagement_points_target"),
        ]
        constraints = [
            # One award per (user, action, object) and round: a second award needs the first reversed.
            models.UniqueConstraint(
                fields=["user", "action", "content_type", "object_id", "sequence"],
                condition=models.Q(reverses__isnull=True),
                name="engagement_points_one_award_per_round",
            ),
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, points__gt=0)
                | models.Q(reverses__isnull=False, points__lt=0),
                name="engagement_points_award_positive_reversal_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.points:+d}"


class BadgeAward(models.Model):
    """A badge a user earned, once (its rule is a registered engagement.ledger_rules.BadgeRule)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(_("badge"), max_length=30)  # the key of a registered ledger_rules.BadgeRule
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["awarded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="engagement_badge_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.badge}"


class EngagementPreference(models.Model):
    """A user's privacy choice about public leaderboards (no row = shown)."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, primary_key=True, related_name="engagement_preference"
    )
    show_on_leaderboards = models.BooleanField(
        _("show me on public contributor leaderboards"),
        default=True,
        help_text=_("Your points and badges still count; only the public rankings leave you out."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Leaderboards for {self.user_id}: {self.show_on_leaderboards}"
