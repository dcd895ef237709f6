"""The daily digest: one email per user who chose it, listing each new notification once.

A notification belongs in a digest while its `emailed_at` is empty and it is not
older than the user's last digest (or the moment they chose the digest). Sending
marks it, so a second run right after the first finds nothing: the command is
idempotent. Each user is handled in their own transaction with their preference
row locked, so two runs at once cannot both send the same notifications, and a
failed send rolls the marks back to be retried by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification, NotificationPreference
from accounts.notifications import (
    _absolute_url,
    email_unsubscribe_url,
    notification_text,
    unsubscribe_headers,
)

EmailMode = NotificationPreference.EmailMode
DIGEST_MAX_ENTRIES = 200  # the rest waits for the next digest rather than making one huge email


@dataclass(frozen=True)
class DigestRun:
    emails: int
    notifications: int


COMMENT_KINDS = (Notification.Kind.COMMENT_POSTED, Notification.Kind.COMMENT_REPLY)


def _pending(preference: NotificationPreference):
    from proposals.models import CommentNotificationPreference

    pending = Notification.objects.filter(recipient_id=preference.user_id, emailed_at__isnull=True)
    if preference.last_digest_at is not None:
        pending = pending.filter(created_at__gte=preference.last_digest_at)
    # Someone who turned comment emails off (the comment emails' own unsubscribe link) gets none in the digest either.
    if CommentNotificationPreference.objects.filter(user_id=preference.user_id, email_on_comments=False).exists():
        pending = pending.exclude(kind__in=COMMENT_KINDS)
    return pending.order_by("created_at", "pk")


@transaction.atomic
def digest_send_for_user(*, user_id: int, language: str | None = None) -> int:
    """Send one user's digest if they chose it and have something new; returns how many notifications it listed."""
    preference = (
        NotificationPreference.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, email_mode=EmailMode.DIGEST)
        .first()
    )
    if preference is None:
        return 0
    user = preference.user
    notifications = list(_pending(preference)[:DIGEST_MAX_ENTRIES])
    now = timezone.now()
    if not notifications or not (user.is_active and user.email):
        return 0
    unsubscribe_url = email_unsubscribe_url(user)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "recipient_name": user.public_name,
            "count": len(notifications),
            "entries": [
                {"text": notification_text(notification), "url": _absolute_url(notification.url)}
                for notification in notifications
            ],
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": _absolute_url(reverse("follows:preferences")),
        }
        subject = render_to_string("emails/digest_subject.txt", context).strip()
        body = render_to_string("emails/digest_body.txt", context)
    Notification.objects.filter(pk__in=[notification.pk for notification in notifications]).update(emailed_at=now)
    NotificationPreference.objects.filter(user_id=user_id).update(last_digest_at=now)
    # Sent inside the transaction: if the mail server refuses, the marks roll back and the next run retries.
    get_connection().send_messages(
        [
            EmailMessage(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                headers=unsubscribe_headers(unsubscribe_url),
            )
        ]
    )
    return len(notifications)


def digest_send_all(*, language: str | None = None) -> DigestRun:
    """Send every due digest (users who chose the digest and have unsent notifications)."""
    user_ids = (
        NotificationPreference.objects.filter(
            email_mode=EmailMode.DIGEST,
            user__is_active=True,
            user__notifications__emailed_at__isnull=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    emails = 0
    total = 0
    for user_id in list(user_ids):
        count = digest_send_for_user(user_id=user_id, language=language)
        if count:
            emails += 1
            total += count
    return DigestRun(emails=emails, notifications=total)
