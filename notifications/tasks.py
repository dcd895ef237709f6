"""Background work of notifications: deliver outbox rows, email notifications, digests, the sweep.

Each task calls one service and is safe to run twice (docs/operations.md).
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import outbox
from notifications.digest import digest_send_all
from notifications.emails import notification_emails_send


@shared_task(bind=True, max_retries=None)
def email_deliver(self, email_id: int) -> str | None:
    """Send one outbox row; a transient failure comes back after the row's backoff."""
    email = outbox.email_deliver(email_id=email_id)
    if email is None:
        return None
    if email.status == outbox.Status.PENDING and not self.request.is_eager:
        # Eager runs (the embedded default) must not retry inline: the sweep picks the row up later.
        countdown = max((email.next_attempt_at - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown)
    return email.status


@shared_task(bind=True)
def emails_deliver(self, email_ids: list[int]) -> int:
    """Send a batch over one connection; what is left pending comes back as one task per email."""
    pending = outbox.emails_deliver_batch(email_ids=email_ids)
    if pending and not self.request.is_eager:  # eager: the sweep picks them up later
        # The untried ones wait as long as the one that failed: the server is likely still down.
        countdown = max((pending[0].next_attempt_at - timezone.now()).total_seconds(), 0)
        for email in pending:
            email_deliver.apply_async((email.pk,), countdown=countdown)
    return len(email_ids) - len(pending)


@shared_task
def notification_emails(notification_ids: list[int], language: str) -> int:
    """Write the per-event emails of these notifications (those whose recipients want one)."""
    return notification_emails_send(notification_ids=notification_ids, language=language)


@shared_task
def outgoing_emails_sweep() -> int:
    """Beat, every minute: enqueue outbox rows that are overdue (their task was lost, or ran eagerly)."""
    due = outbox.outgoing_emails_due()
    for email_id in due:
        email_deliver.delay(email_id)
    return len(due)


@shared_task
def digests_send() -> int:
    """Beat, daily: every due digest. Each user's digest is written once (notifications.digest)."""
    return digest_send_all(language=settings.LANGUAGE_CODE).emails
