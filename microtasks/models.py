"""Task campaigns ("抢单"): campaigns with slots, claims that hold a slot, proof, and data-task items.

A campaign's `slots_taken` counts the claims that hold a slot (active, submitted, approved,
and rejected ones waiting for their redo); it only changes through conditional UPDATEs in
microtasks.claims, so it never passes `slots`. Expired and released claims give their slot back.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.sanitize import render_markdown


class CampaignQuerySet(models.QuerySet):
    def open(self, now=None) -> "CampaignQuerySet":
        """Published campaigns whose dates include now (full ones too: a slot may come back)."""
        now = now or timezone.now()
        return self.filter(is_published=True, starts_at__lte=now, ends_at__gt=now)


class Campaign(TimeStampedModel):
    class Kind(models.TextChoices):
        FIELD = "field", _("Field task (photo, place and answers)")
        DATA = "data", _("Data task (classify items)")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), max_length=10000, help_text=_("Markdown."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIELD)
    # Field tasks: the questions a citizen answers with their proof (a list of short strings).
    questions = models.JSONField(_("questions"), default=list, blank=True)
    slots = models.PositiveIntegerField(_("slots"), help_text=_("How many completions are wanted."))
    slots_taken = models.PositiveIntegerField(default=0, editable=False)
    claim_minutes = models.PositiveIntegerField(_("claim time limit (minutes)"), default=60)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_published = models.BooleanField(_("published"), default=True)
    required_badge = models.CharField(_("required badge"), max_length=30, blank=True)
    min_approved = models.PositiveIntegerField(_("approved tasks required"), default=0)
    reward_points = models.PositiveIntegerField(_("reward (points)"), default=10)
    review_hours = models.PositiveIntegerField(
        _("review window (hours)"), default=72, help_text=_("Work not reviewed in time is approved automatically.")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (metres)"), null=True, blank=True)
    allow_redo = models.BooleanField(_("rejected work may be redone once"), default=False)
    # Data tasks: answer choices, answers per item (k), agreement share to retire an item, gold scoring.
    choices = models.JSONField(_("answer choices"), default=list, blank=True)
    answers_per_item = models.PositiveSmallIntegerField(_("answers per item (k)"), default=3)
    agreement = models.FloatField(
        _("agreement to retire an item"), default=0.5, help_text=_("Share of k; 0.5 means a majority of k.")
    )
    gold_accuracy_min = models.FloatField(_("minimum accuracy on gold items"), default=0.7)
    gold_min_answers = models.PositiveSmallIntegerField(_("gold answers before accuracy counts"), default=3)
    batch_size = models.PositiveSmallIntegerField(_("items per claim"), default=20)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("task campaign")
        verbose_name_plural = _("task campaigns")
        ordering = ["ends_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slots_taken__lte=models.F("slots")), name="microtasks_no_oversell"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="microtasks_dates_order"
            ),
            models.CheckConstraint(condition=models.Q(slots__gt=0), name="microtasks_slots_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("microtasks:detail", kwargs={"pk": self.pk})

    @cached_property
    def instructions_html(self):
        return render_markdown(self.instructions)

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None and bool(self.radius_m)

    @property
    def slots_left(self) -> int:
        return max(0, self.slots - self.slots_taken)


class ClaimQuerySet(models.QuerySet):
    def overdue(self, now=None) -> "ClaimQuerySet":
        """Active claims past their time limit: expired, whether the beat job has written it yet or not."""
        return self.filter(status=Claim.Status.ACTIVE, expires_at__lte=now or timezone.now())


class Claim(models.Model):
    """A citizen's hold on one slot of a campaign, for the campaign's claim time limit."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")

    # Statuses that hold a slot, and those of a field-task claim that count as "already took this task".
    HOLDING = (Status.ACTIVE, Status.SUBMITTED, Status.APPROVED)
    TAKEN = (Status.ACTIVE, Status.SUBMITTED, Status.APPROVED, Status.REJECTED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="claims")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_claims")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    expires_at = models.DateTimeField(_("due by"))
    reminded = models.BooleanField(default=False)
    redo_used = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="microtasks_claim_due"),
            models.Index(fields=["campaign", "status"], name="microtasks_claim_campaign"),
            models.Index(fields=["citizen", "status"], name="microtasks_claim_citizen"),
        ]
        constraints = [
            # One claim in progress per citizen and campaign (field or data).
            models.UniqueConstraint(
                fields=["campaign", "citizen"], condition=models.Q(status="active"), name="microtasks_one_active_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} → {self.campaign_id} ({self.status})"

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.ACTIVE and self.expires_at <= (now or timezone.now())

    @property
    def shown_status(self) -> str:
        """The status a reader sees: an overdue active claim is expired even before the beat job says so."""
        return self.Status.EXPIRED.label if self.is_overdue() else self.get_status_display()


def proof_upload_to(instance, filename: str) -> str:
    return f"microtasks/proof/{timezone.now():%Y/%m}/{filename}"


class Submission(models.Model):
    """The proof of one claim (a second one when rejected work is redone)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveSmallIntegerField(default=1)
    photo = models.ImageField(_("photo"), upload_to=proof_upload_to, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    review_due_at = models.DateTimeField(_("review due by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    auto_approved = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "review_due_at"], name="microtasks_submission_due")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "round"], name="microtasks_one_submission_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}#{self.round} ({self.status})"

    @classmethod
    def due_from(cls, campaign: Campaign, now=None):
        return (now or timezone.now()) + timedelta(hours=campaign.review_hours)


def item_upload_to(instance, filename: str) -> str:
    return f"microtasks/items/{instance.campaign_id}/{filename}"


class Item(models.Model):
    """One thing to classify in a data task: a line of text (from CSV) or an image. Gold items have a known answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(_("identifier"), max_length=100)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to=item_upload_to, blank=True)
    gold_answer = models.CharField(_("gold answer"), max_length=100, blank=True)
    answers_count = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    consensus = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "external_id"], name="microtasks_item_unique_id"),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def is_gold(self) -> bool:
        return bool(self.gold_answer)


class ItemAnswer(models.Model):
    """One citizen's answer to one item (each citizen answers an item once)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="item_answers")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=100)
    is_gold = models.BooleanField(default=False)
    correct = models.BooleanField(null=True)  # gold items only
    discounted = models.BooleanField(default=False)  # its citizen fell below the gold accuracy threshold
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item", "citizen"], name="microtasks_answer_once")]
        indexes = [models.Index(fields=["citizen", "is_gold"], name="microtasks_answer_gold")]

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.item_id} = {self.answer}"
