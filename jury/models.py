"""Jury review: rubric, reviewers, conflicts of interest, assignments with their scores.

A `Review` is one reviewer's assignment to one proposal; it starts `pending`
(no scores yet), becomes `draft` when saved and `submitted` (locked) when sent.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_SCORE = 10


class ContestReviewSettings(models.Model):
    """Jury settings of one contest (one-to-one, so the contests app needs no new fields)."""

    contest = models.OneToOneField("contests.Contest", on_delete=models.CASCADE, related_name="review_settings")
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers per proposal"), default=3, help_text=_("How many reviewers score each proposal.")
    )
    blind = models.BooleanField(
        _("blind review"), default=True, help_text=_("Hide authors and co-authors from reviewers.")
    )
    normalise = models.BooleanField(
        _("normalise reviewer scores"),
        default=False,
        help_text=_(
            "Rescale each reviewer's scores (z-score) so a harsh or lenient reviewer does not skew their batch."
        ),
    )
    winners_count = models.PositiveSmallIntegerField(
        _("number of winners"), default=3, help_text=_("The top entries marked as winners on the results page.")
    )
    chosen_winners = models.ManyToManyField(
        "proposals.Proposal",
        blank=True,
        related_name="+",
        verbose_name=_("winners chosen by the managers"),
        help_text=_("When empty, the top entries (number of winners) are the winners."),
    )
    assignment_seed = models.PositiveIntegerField(_("assignment seed"), default=0)
    # When the review-opening job assigned reviewers and told them (jury.review_opening); set once.
    auto_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contest review settings")
        verbose_name_plural = _("contest review settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewers_per_proposal__gte=1, reviewers_per_proposal__lte=20),
                name="jury_settings_reviewers_per_proposal_1_20",
            ),
            models.CheckConstraint(
                condition=models.Q(winners_count__lte=100), name="jury_settings_winners_count_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Review settings of contest {self.contest_id}"


class Criterion(models.Model):
    """One weighted rubric criterion, scored 0–10. A contest's weights add up to 100."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=1000, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="jury_criterion_weight_1_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContestReviewer(models.Model):
    """Someone invited to review a contest's proposals, by email; linked to an account once known."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="reviewers")
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="reviewer_roles"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    conflicts_declared_at = models.DateTimeField(_("conflicts declared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "email"], name="jury_reviewer_unique_contest_email"),
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=models.Q(user__isnull=False),
                name="jury_reviewer_unique_contest_user",
            ),
            models.CheckConstraint(
                condition=models.Q(status="invited") | models.Q(user__isnull=False),
                name="jury_reviewer_active_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Reviewer {self.pk} of contest {self.contest_id}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they must not review a proposal."""

    reviewer = models.ForeignKey(ContestReviewer, on_delete=models.CASCADE, related_name="conflicts")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "proposal"], name="jury_conflict_unique_reviewer_proposal"),
        ]

    def __str__(self) -> str:
        return f"Conflict {self.reviewer_id}/{self.proposal_id}"


class Review(models.Model):
    """One reviewer's assignment to one proposal, and their scores once saved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    reviewer = models.ForeignKey(ContestReviewer, on_delete=models.CASCADE, related_name="reviews")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="jury_reviews")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "proposal"], name="jury_review_unique_reviewer_proposal"),
            models.CheckConstraint(
                condition=models.Q(status="submitted", submitted_at__isnull=False)
                | (~models.Q(status="submitted") & models.Q(submitted_at__isnull=True)),
                name="jury_review_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}"


class CriterionScore(models.Model):
    """A 0–10 score (and optional comment) for one criterion in one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="jury_score_unique_review_criterion"),
            models.CheckConstraint(condition=models.Q(score__lte=MAX_SCORE), name="jury_score_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
