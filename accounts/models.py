from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def public_name_for(*, display_name: str, user_id: int) -> str:
    """A person's public name from their display name, for reads that load no User object."""
    return display_name or _("Citizen #%(id)s") % {"id": user_id}


class UserManager(BaseUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. The email is private; the display name is what others see."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown publicly next to your contributions."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name to show anywhere public; never falls back to the email."""
        return public_name_for(display_name=self.display_name, user_id=self.pk)

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"user_id": self.pk})


class Notification(models.Model):
    """An in-app notification. The text is rendered from `kind` and `data` in the reader's language."""

    class Kind(models.TextChoices):
        PROPOSAL_STATUS = "proposal_status", _("Official answer to a proposal")
        COAUTHOR_INVITATION = "coauthor_invitation", _("Co-author invitation")
        COAUTHOR_ACCEPTED = "coauthor_accepted", _("Co-author accepted")
        PROPOSAL_MERGED = "proposal_merged", _("Proposal merged")
        PROPOSAL_HIDDEN = "proposal_hidden", _("Proposal hidden by moderators")
        COMMENT_POSTED = "comment_posted", _("New comment in a discussion you follow")
        COMMENT_REPLY = "comment_reply", _("Reply to your comment")
        COMMENT_HIDDEN = "comment_hidden", _("Comment hidden by moderators")
        FOLLOWED_PROPOSAL_STATUS = "followed_proposal_status", _("Official answer to a proposal you follow")
        CONTEST_PHASE = "contest_phase", _("A contest you follow or take part in changed phase")
        CONTEST_PUBLISHED = "contest_published", _("New contest of an agency you follow")

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set once the notification went out by email, alone or in a digest; a digest takes only unset ones.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"


# --- following, email preferences, phase notifications (see accounts/follows.py, accounts/digest.py) ---


class Follow(models.Model):
    """Someone follows exactly one contest, proposal or agency to hear about what happens to it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contest__isnull=False, proposal__isnull=True, agency__isnull=True)
                    | models.Q(contest__isnull=True, proposal__isnull=False, agency__isnull=True)
                    | models.Q(contest__isnull=True, proposal__isnull=True, agency__isnull=False)
                ),
                name="accounts_follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "contest"],
                condition=models.Q(contest__isnull=False),
                name="accounts_follow_unique_contest",
            ),
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=models.Q(proposal__isnull=False),
                name="accounts_follow_unique_proposal",
            ),
            models.UniqueConstraint(
                fields=["user", "agency"],
                condition=models.Q(agency__isnull=False),
                name="accounts_follow_unique_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.contest_id or self.proposal_id or self.agency_id}"


class NotificationPreference(models.Model):
    """How a user wants notifications by email: each as it happens, one daily digest, or none."""

    class EmailMode(models.TextChoices):
        EACH = "each", _("An email for each event")
        DIGEST = "digest", _("One daily digest")
        NONE = "none", _("No emails (notifications stay on the site)")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    email_mode = models.CharField(_("email"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_mode__in=["each", "digest", "none"]),
                name="accounts_notificationpreference_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"


class PhaseNotificationSent(models.Model):
    """A contest event whose notifications went out: the row makes `send_phase_notifications` send it once."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("Contest published")
        SUBMISSION_OPENS = "submission_opens", _("Submission opens")
        SUBMISSION_CLOSES = "submission_closes", _("Submission closes")
        VOTING_OPENS = "voting_opens", _("Voting opens")
        RESULTS_PUBLISHED = "results_published", _("Results published")

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="phase_notifications_sent")
    phase = models.CharField(max_length=30, choices=Event.choices)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "phase"], name="accounts_phasenotificationsent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.phase}"
