from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification. The text is rendered from `kind` and `data` in the reader's language.

    `kind` is the key of a registered notifications.kinds.NotificationKind.
    """

    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set once the notification went out by email, alone or in a digest; a digest takes only unset ones.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Index names keep the prefix of the app the model was born in (accounts).
        indexes = [models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a user wants notifications by email (each, a daily digest, or none), and which kinds never to email."""

    class EmailMode(models.TextChoices):
        EACH = "each", _("An email for each event")
        DIGEST = "digest", _("One daily digest")
        NONE = "none", _("No emails (notifications stay on the site)")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    email_mode = models.CharField(_("email"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH)
    # Kinds the user never wants by email, in any mode (they stay in the inbox).
    muted_kinds = models.JSONField(_("kinds never emailed"), default=list, blank=True)
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


class Subscription(models.Model):
    """Someone follows a contest, a proposal, an agency (any registered followable) to hear what happens to it.

    Following a proposal or contest covers its official answers, phase changes and its discussion.
    Rows are removed with their target by the delete signal notifications.subscriptions connects.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="subscriptions")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="notifications_subscription_unique_user_target"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="notifications_sub_target_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.content_type_id}:{self.object_id}"


class OutgoingEmail(models.Model):
    """One email to one address, stored in the transaction that caused it and delivered by a task.

    notifications.outbox writes and delivers these rows; see docs/operations.md. `key` names
    the event a row is for where there is a natural one ("notification:<id>"), so the same
    event can never queue two emails.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    to = models.EmailField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="notifications_outgoingemail_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.pk} → {self.to}: {self.status}"
