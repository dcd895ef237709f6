"""Points ledger, badges, leaderboard preferences and contributor-board versions."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The action of a spending entry: points paid for a reward (engagement.rewards). It is no award:
# boards and badges count awards only, while a user's balance sums every entry.
SPENT_ACTION = "reward_redeemed"


class PointsEntryQuerySet(models.QuerySet):
    def awards(self) -> "PointsEntryQuerySet":
        """Awards (not reversing or spending entries), reversed or not."""
        return self.filter(reverses__isnull=True).exclude(action=SPENT_ACTION)

    def active_awards(self) -> "PointsEntryQuerySet":
        """Awards that no later entry reversed: what a user's earned points are made of."""
        return self.awards().filter(reversed_by__isnull=True)


class PointsEntry(models.Model):
    """One line of the append-only points ledger: an award (points > 0), the reversal of one (points < 0),
    or points spent on a reward (action SPENT_ACTION, points < 0, its target the redemption).

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
                condition=models.Q(reverses__isnull=True, points__gt=0) & ~models.Q(action=SPENT_ACTION)
                | models.Q(reverses__isnull=False, points__lt=0)
                | models.Q(reverses__isnull=True, points__lt=0, action=SPENT_ACTION),
                name="engagement_points_award_positive_reversal_spending_negative",
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


class Reward(models.Model):
    """Something an agency gives for points (a museum ticket, a transit pass, a certificate of volunteer hours).

    `stock` is what is left: each redemption takes one with a conditional UPDATE, so it never goes below zero.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="rewards")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    points_price = models.PositiveIntegerField(_("price in points"))
    stock = models.PositiveIntegerField(_("stock left"))
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["points_price", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points_price__gt=0), name="engagement_reward_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """Points a citizen spent on a reward (one spending entry in the ledger), until staff hand it over."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be handed over")
        HANDED_OVER = "handed_over", _("Handed over")

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="redemptions")
    points = models.PositiveIntegerField(_("points paid"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(_("redeemed at"), default=timezone.now)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reward", "status"], name="engagement_redemption_queue")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reward_id}"
