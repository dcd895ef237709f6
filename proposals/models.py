import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.search import search_text


class ProposalQuerySet(models.QuerySet):
    def public(self) -> "ProposalQuerySet":
        """What anyone may see: submitted (not draft or withdrawn), not hidden, not merged away."""
        return self.exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN]).filter(
            is_hidden=False, merged_into__isnull=True
        )


class Proposal(TimeStampedModel):
    """A citizen's answer to a contest. Drafts are private to their authors."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        WINNER = "winner", _("Winner")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTED = "implemented", _("Implemented")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The statuses an agency sets in an official answer (draft and withdrawn belong to authors).
    OFFICIAL_STATUSES = (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.SHORTLISTED,
        Status.WINNER,
        Status.ADOPTED,
        Status.IMPLEMENTED,
        Status.DECLINED,
    )

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="proposals")
    coauthors = models.ManyToManyField(
        "accounts.User", through="ProposalCoAuthor", related_name="coauthored_proposals", blank=True
    )
    category = models.ForeignKey(
        "contests.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(_("summary"), max_length=500, help_text=_("One paragraph."))
    body = models.TextField(_("proposal"), max_length=20000, help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_duplicates"
    )
    # Words of the title and of summary + body, Chinese segmented (common.search); derived in save().
    search_title = models.TextField(default="", blank=True, editable=False)
    search_body = models.TextField(default="", blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["contest", "status", "is_hidden"], name="proposals_contest_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="proposals_proposal_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The search columns are a function of the text, never edited: derive them on every save of it.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "summary", "body"} & set(update_fields):
            self.search_title = search_text(self.title)
            self.search_body = search_text(self.summary, self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_title", "search_body"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"contest_slug": self.contest.slug, "pk": self.pk})


class ProposalCoAuthor(models.Model):
    """A co-author who accepted an invitation. Co-authors edit like the author."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="coauthorships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="coauthorships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposals_coauthor_unique_proposal_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.proposal_id}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class CoAuthorInvitation(models.Model):
    """An invitation by email to co-author a proposal; accepted by signing in and following the link."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    accepted_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="proposals_invitation_unique_proposal_email"),
        ]

    def __str__(self) -> str:
        return f"Invitation to proposal {self.proposal_id}"


class ProposalRevision(models.Model):
    """A snapshot taken at every edit, visible to moderators."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=500)
    body = models.TextField(max_length=20000)
    category = models.ForeignKey(
        "contests.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of {self.proposal_id} at {self.created_at}"


class ProposalAttachment(models.Model):
    """An image (re-encoded, metadata stripped) or a PDF, checked by content on upload."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF document")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="proposals/attachments/%Y/%m/")
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProposalStatusChange(models.Model):
    """An official answer: the status the agency set, its public text, who answered for which agency, and when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=Proposal.Status.choices)
    text = models.TextField(_("official response"), max_length=10000)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="responses")
    responded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status}"
