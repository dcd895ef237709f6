from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class ContestQuerySet(models.QuerySet):
    def published(self) -> "ContestQuerySet":
        """Contests visible to the public (drafts are not)."""
        return self.filter(is_published=True)

    def accepting_participation(self, now=None) -> "ContestQuerySet":
        """Published contests in submission or voting right now: what the home page calls open."""
        now = now or timezone.now()
        return self.published().filter(
            models.Q(submission_opens_at__lte=now, submission_closes_at__gt=now)
            | models.Q(voting_opens_at__lte=now, voting_closes_at__gt=now)
        )


class Contest(TimeStampedModel):
    """A policy challenge posted by an agency. Its phase is derived from its dates (see contests.phases)."""

    class VotingMethod(models.TextChoices):
        UPDOWN = "updown", _("Up or down")
        APPROVAL = "approval", _("Approval (limited supports)")
        STARS = "stars", _("Stars (1–5)")
        PAIRWISE = "pairwise", _("Pairwise comparison")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="contests")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    voting_method = models.CharField(
        _("voting method"), max_length=20, choices=VotingMethod.choices, default=VotingMethod.UPDOWN
    )
    submission_opens_at = models.DateTimeField(_("submission opens"))
    submission_closes_at = models.DateTimeField(_("submission closes"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    review_closes_at = models.DateTimeField(_("review closes"))
    results_at = models.DateTimeField(_("results published"))
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-submission_opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission_opens_at__lt=models.F("submission_closes_at"))
                & models.Q(voting_opens_at__lt=models.F("voting_closes_at"))
                & models.Q(submission_opens_at__lte=models.F("voting_opens_at"))
                & models.Q(voting_closes_at__lte=models.F("review_closes_at"))
                & models.Q(review_closes_at__lte=models.F("results_at"))
                & (models.Q(closes_at__isnull=True) | models.Q(closes_at__gte=models.F("results_at"))),
                name="contests_contest_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def phase(self) -> str:
        from contests.phases import contest_phase

        return contest_phase(self)

    def get_phase_display(self) -> str:
        from contests.phases import Phase

        return Phase(self.phase).label
