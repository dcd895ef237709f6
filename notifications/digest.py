"""The daily digest: one email per user who chose it, listing each new notification once.

A notification belongs in a digest while its `emailed_at` is empty and it is not
older than the user's last digest (or the moment they chose the digest). Sending
marks it, so a second run right after the first finds nothing: the command is
idempotent. Each user is handled in their own transaction with their preference
row locked, so two runs at once cannot both send the same notifications; the email
is queued in the outbox in that same transaction (notifications.outbox delivers and
retries it), so the marks and the email are stored together or not at all. Celery
beat runs `digest_send_all` daily (notifications.tasks.digests_send).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.emails import absolute_url, email_send, unsubscribe_headers, unsubscribe_url
from notifications.kinds import notification_text
from notifications.models import Notification, NotificationPreference

EmailMode = NotificationPreference.EmailMode
DIGEST_MAX_ENTRIES = 200  # the rest waits for the next digest rather than making one huge email


@dataclass(frozen=True)
class DigestRun:
    emails: int
    notifications: int


def _pending(preference: NotificationPreference):
    pending = Notification.objects.filter(recipient_id=preference.user_id, emailed_at__isnull=True)
    if preference.last_digest_at is not None:
        pending = pending.filter(created_at__gte=preference.last_digest_at)
    # Kinds the user muted stay out of the digest too.
    return pending.exclude(kind__in=list(preference.muted_kinds or ())).order_by("created_at", "pk")


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
    link = unsubscribe_url(user)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "recipient_name": user.public_name,
            "count": len(notifications),
            "entries": [
                {"text": notification_text(notification), "url": absolute_url(notification.url)}
                for notification in notifications
            ],
            "unsubscribe_url": link,
            "preferences_url": absolute_url(reverse("notifications:preferences")),
        }
        subject = render_to_string("notifications/emails/digest_subject.txt", context)
        body = render_to_string("notifications/emails/digest_body.txt", context)
    Notification.objects.filter(pk__in=[notification.pk for notification in notifications]).update(emailed_at=now)
    NotificationPreference.objects.filter(user_id=user_id).update(last_digest_at=now)
    # Queued with the marks: both are stored, or neither.
    email_send(to=user.email, subject=subject, body=body, headers=unsubscribe_headers(link))
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
