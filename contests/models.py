from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.sanitize import has_unsafe_link
from common.search import search_text

MARKDOWN_FIELDS = ("description", "rules", "rewards")


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

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="contests")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=20000, blank=True, help_text=_("Markdown."))
    rules = models.TextField(_("rules"), max_length=20000, blank=True, help_text=_("Markdown."))
    rewards = models.TextField(_("rewards"), max_length=5000, blank=True, help_text=_("Markdown."))
    cover_image = models.ImageField(_("cover image"), upload_to="contests/covers/", blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    voting_method = models.CharField(
        _("voting method"), max_length=20, choices=VotingMethod.choices, default=VotingMethod.UPDOWN
    )
    approval_limit = models.PositiveSmallIntegerField(
        _("supports per citizen"),
        default=3,
        help_text=_("Approval voting: how many proposals each citizen may support."),
    )
    stars_prior_weight = models.PositiveSmallIntegerField(
        _("star rating prior weight"),
        default=5,
        help_text=_("Stars voting: weight m of the contest mean in the Bayesian average."),
    )

    class PublicRanking(models.TextChoices):
        EXPOSURE = "exposure", _("Support per viewer (exposure-aware)")
        COUNTS = "counts", _("Plain counts")

    public_ranking = models.CharField(
        _("public ranking"),
        max_length=20,
        choices=PublicRanking.choices,
        default=PublicRanking.COUNTS,
        help_text=_(
            "Approval and up/down voting: rank by support per viewer the proposal was shown to, "
            "shrunk towards the contest average (recommended), or by plain counts."
        ),
    )

    class Verification(models.TextChoices):
        EMAIL = "email", _("Verified email address")
        PHONE = "phone", _("Verified phone number (SMS code)")
        CENSUS = "census", _("On the agency's census list")

    vote_verification = models.CharField(
        _("verification needed to vote"), max_length=20, choices=Verification.choices, default=Verification.EMAIL
    )
    submit_verification = models.CharField(
        _("verification needed to submit"), max_length=20, choices=Verification.choices, default=Verification.EMAIL
    )
    integrity_monitoring = models.BooleanField(
        _("integrity monitoring"),
        default=True,
        help_text=_(
            "Check every ballot for signs of sock puppets and bots; suspicious ballots wait for a manager's review "
            "and count only once released."
        ),
    )
    max_proposals_per_citizen = models.PositiveSmallIntegerField(_("proposals per citizen"), default=3)
    allow_overlap = models.BooleanField(_("voting may open before submission closes"), default=False)
    public_weight = models.PositiveSmallIntegerField(_("public vote weight (%)"), default=40)
    jury_weight = models.PositiveSmallIntegerField(_("jury weight (%)"), default=60)
    submission_opens_at = models.DateTimeField(_("submission opens"))
    submission_closes_at = models.DateTimeField(_("submission closes"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    review_closes_at = models.DateTimeField(_("review closes"))
    results_at = models.DateTimeField(_("results published"))
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Set when a manager publishes the results before `results_at` (contests.services.contest_results_publish).
    results_published_at = models.DateTimeField(_("results published early at"), null=True, blank=True)
    # Words of the title and of summary + description, Chinese segmented (common.search); derived in save().
    search_title = models.TextField(default="", blank=True, editable=False)
    search_body = models.TextField(default="", blank=True, editable=False)

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
            models.CheckConstraint(
                condition=models.Q(public_weight__lte=100, jury_weight__lte=100)
                & models.Q(public_weight=100 - models.F("jury_weight")),
                name="contests_contest_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(approval_limit__gte=1), name="contests_contest_approval_limit_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_proposals_per_citizen__gte=1), name="contests_contest_max_proposals_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The search columns are a function of the text, never edited: derive them on every save of it.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "summary", "description"} & set(update_fields):
            self.search_title = search_text(self.title)
            self.search_body = search_text(self.summary, self.description)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_title", "search_body"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", kwargs={"slug": self.slug})

    @property
    def phase(self) -> str:
        from contests.phases import contest_phase

        return contest_phase(self)

    def get_phase_display(self) -> str:
        from contests.phases import Phase

        return Phase(self.phase).label

    def clean(self) -> None:
        """Friendly messages for the rules the database constraints also enforce, plus text limits.

        Errors are keyed by field so that full_clean() skips the matching
        constraint check instead of repeating the error in generic words.
        """
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        for field in MARKDOWN_FIELDS:
            value = getattr(self, field) or ""
            limit = self._meta.get_field(field).max_length
            if len(value) > limit:
                add(
                    field,
                    _("Keep this under %(limit)s characters (it has %(count)s).")
                    % {"limit": limit, "count": len(value)},
                )
            if has_unsafe_link(value):
                add(field, _("Links must start with http://, https:// or mailto:; script links are not allowed."))
        if self.title is not None and not self.title.strip():
            add("title", _("Enter a title."))

        dates = [
            self.submission_opens_at,
            self.submission_closes_at,
            self.voting_opens_at,
            self.voting_closes_at,
            self.review_closes_at,
            self.results_at,
        ]
        if all(value is not None for value in dates):
            if self.submission_closes_at <= self.submission_opens_at:
                add("submission_closes_at", _("Submission must close after it opens."))
            if self.voting_opens_at < self.submission_opens_at:
                add("voting_opens_at", _("Voting cannot open before submission opens."))
            if not self.allow_overlap and self.voting_opens_at < self.submission_closes_at:
                add(
                    "voting_opens_at",
                    _("Voting opens before submission closes. Allow overlap, or open voting later."),
                )
            if self.voting_closes_at <= self.voting_opens_at:
                add("voting_closes_at", _("Voting must close after it opens."))
            elif self.voting_closes_at < self.submission_closes_at:
                add("voting_closes_at", _("Voting cannot close before submission closes."))
            if self.review_closes_at < self.voting_closes_at:
                add("review_closes_at", _("Review cannot close before voting closes."))
            if self.results_at < self.review_closes_at:
                add("results_at", _("Results cannot be published before review closes."))
            if self.closes_at is not None and self.closes_at < self.results_at:
                add("closes_at", _("The contest cannot close before its results are published."))

        for field in ("approval_limit", "max_proposals_per_citizen"):
            value = getattr(self, field)
            if value is not None and value < 1:
                add(field, _("Enter at least 1."))

        weights_given = self.public_weight is not None and self.jury_weight is not None
        if weights_given and self.public_weight + self.jury_weight != 100:
            add(
                "jury_weight",
                _("Public and jury weights must add up to 100 (they add up to %(total)s).")
                % {"total": self.public_weight + self.jury_weight},
            )
            # Keyed on both so the generic constraint check is skipped too.
            add("public_weight", _("Public and jury weights must add up to 100."))
        if errors:
            raise ValidationError(errors)


class Category(models.Model):
    """A theme within one contest, chosen by proposal authors."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "slug"], name="contests_category_unique_contest_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class DeadlineChange(models.Model):
    """Public log of every change to a published contest's dates: who, when, old and new value."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="deadline_changes")
    field = models.CharField(_("date"), max_length=40)
    old_value = models.DateTimeField(_("old value"), null=True)
    new_value = models.DateTimeField(_("new value"), null=True)
    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.field} {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        """The changed date's name as people read it ("Voting closes")."""
        from contests.phases import MILESTONES

        return str(dict(MILESTONES).get(self.field, self.field))


class PhaseNotificationSent(models.Model):
    """A contest event whose notifications went out: the row makes `send_phase_notifications` send it once."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("Contest published")
        SUBMISSION_OPENS = "submission_opens", _("Submission opens")
        SUBMISSION_CLOSES = "submission_closes", _("Submission closes")
        VOTING_OPENS = "voting_opens", _("Voting opens")
        RESULTS_PUBLISHED = "results_published", _("Results published")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="phase_notifications_sent")
    phase = models.CharField(max_length=30, choices=Event.choices)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "phase"], name="accounts_phasenotificationsent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.phase}"
