"""The outbox: every email is a row written with the change that caused it, then delivered by a task.

- `email_store` writes one `OutgoingEmail` in the caller's transaction and, once it commits,
  enqueues its delivery (notifications.tasks.email_deliver). A mail server that is down or slow
  can therefore never fail, hold or repeat the request: the request only writes a row.
- `email_deliver` sends one row through `EMAIL_DELIVERY_BACKEND` while holding the row's lock,
  and marks it sent in the same transaction. A task that is retried, redelivered after its
  worker died, or run twice at once finds the row sent (or waits for the lock) and sends
  nothing: the only window for a duplicate is between the server's "250 OK" and our commit,
  and the stable `Message-ID` header lets receiving systems drop that rare copy.
- Transient errors (connection refused, timeouts, 4xx replies) are retried with exponential
  backoff; permanent ones (5xx replies, a message that cannot be built) and rows that used up
  `EMAIL_MAX_ATTEMPTS` end `failed`, listed in the Django admin with an action to send again.
- `outgoing_emails_sweep` (Celery beat, every minute) re-enqueues rows that are due but still
  pending, in case an enqueue was lost (the broker was down at commit) or tasks run eagerly.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.background import task_on_commit
from notifications.models import OutgoingEmail

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status
SWEEP_BATCH = 500
BATCH_SIZE = 20  # emails sent by one task over one SMTP connection; batches run in parallel on the workers


def single_line(text: str) -> str:
    """A header value on one line: line breaks and other control characters become spaces."""
    return " ".join("".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in text).split())


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return make_msgid(domain=domain)


def outgoing_email(
    *, to: str, subject: str, body: str, headers=None, html_body: str = "", from_email=None, key=None
) -> OutgoingEmail:
    """An unsaved row: subject and header values on one line, a fixed Message-ID, due now."""
    clean_headers = {single_line(name): single_line(str(value)) for name, value in (headers or {}).items()}
    clean_headers.setdefault("Message-ID", _message_id())
    return OutgoingEmail(
        key=key,
        to=single_line(to),
        from_email=single_line(from_email or settings.DEFAULT_FROM_EMAIL),
        subject=single_line(subject)[:200],
        body=body,
        html_body=html_body,
        headers=clean_headers,
        next_attempt_at=timezone.now(),
    )


def emails_store_many(emails: list[OutgoingEmail]) -> list[int]:
    """Save rows from `outgoing_email` in one INSERT and deliver them after commit. The caller guarantees
    their keys are new (it holds the lock of what they are about); returns their ids."""
    created = OutgoingEmail.objects.bulk_create(emails)
    ids = [email.pk for email in created]
    deliver_on_commit(ids)
    return ids


def email_store(
    *,
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    html_body: str = "",
    from_email: str | None = None,
    key: str | None = None,
    deliver: bool = True,
) -> OutgoingEmail | None:
    """Queue one email to one address; it is delivered after the caller's transaction commits.

    Header values and the subject are made single-line here, so no user-written text can add a
    header. With `key`, a second email for the same key is not queued (None is returned). With
    `deliver=False` the caller enqueues the delivery itself (`deliver_on_commit`, for a batch).
    """
    if key is not None and OutgoingEmail.objects.filter(key=key).exists():
        return None
    email = outgoing_email(
        to=to, subject=subject, body=body, headers=headers, html_body=html_body, from_email=from_email, key=key
    )
    try:
        with transaction.atomic():  # a savepoint: a lost race on `key` leaves the caller's transaction usable
            email.save()
    except IntegrityError:
        if key is not None and OutgoingEmail.objects.filter(key=key).exists():
            return None
        raise
    if deliver:
        deliver_on_commit([email.pk])
    return email


def emails_store_from_messages(messages: list[EmailMessage]) -> int:
    """Queue Django `EmailMessage`s (allauth's, `mail_admins`): one row per recipient, so nobody sees another."""
    count = 0
    for message in messages:
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", None) or []:
            if mimetype == "text/html":
                html_body = str(content)
        headers = {name: value for name, value in (message.extra_headers or {}).items() if name.lower() != "to"}
        for address in message.recipients():
            stored = email_store(
                to=address,
                subject=str(message.subject),
                body=str(message.body),
                html_body=html_body,
                headers=headers,
                from_email=message.from_email,
            )
            count += stored is not None
    return count


def deliver_on_commit(email_ids: list[int]) -> None:
    """Enqueue delivery of these rows once the transaction commits: one task per `BATCH_SIZE` rows,
    each sending over one SMTP connection. A broker that is down is logged, not raised: the rows stay
    pending and the sweep enqueues them again."""
    from notifications import tasks  # tasks import this module

    for start in range(0, len(email_ids), BATCH_SIZE):
        batch = email_ids[start : start + BATCH_SIZE]
        if len(batch) == 1:
            task_on_commit(tasks.email_deliver, batch[0])
        else:
            task_on_commit(tasks.emails_deliver, batch)


# --- delivery --------------------------------------------------------------------------------------


def _build_message(email: OutgoingEmail, connection) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=[email.to],
        headers=email.headers,
        connection=connection,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def error_is_transient(error: Exception) -> bool:
    """Worth retrying later: the network, a timeout, the server's 4xx replies; not 5xx refusals or bad messages."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return True  # the operator fixes the credentials; meanwhile keep trying
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError)  # smtplib.SMTPException, refused connections and timeouts are OSErrors


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failed tries: base, 2 × base, 4 × base, … capped."""
    seconds = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS))


def delivery_connection():
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)


def email_deliver(*, email_id: int, now: datetime | None = None, connection=None) -> OutgoingEmail | None:
    """Send one pending, due row and record the outcome. Returns the row (None if it is gone).

    The row stays locked from before the send until its new status is committed, so a second
    task for the same row either waits and then finds it sent, or (if the first one died, which
    rolls its transaction back) sends it itself. `connection`: an open one to reuse (a batch).
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        now = now or timezone.now()
        if email is None or email.status != Status.PENDING or email.next_attempt_at > now + timedelta(seconds=1):
            return email
        email.attempts += 1
        try:
            _build_message(email, connection or delivery_connection()).send()
        except Exception as error:  # every failure is recorded on the row; none escapes to the caller
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if error_is_transient(error) and email.attempts < settings.EMAIL_MAX_ATTEMPTS:
                email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
                logger.warning("Email %s not sent (attempt %s), retrying: %s", email.pk, email.attempts, error)
            else:
                email.status = Status.FAILED
                logger.error("Email %s failed after %s attempts: %s", email.pk, email.attempts, error)
        else:
            email.status = Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
        return email


def emails_deliver_batch(*, email_ids: list[int]) -> list[OutgoingEmail]:
    """Send these rows one by one over one connection, each in its own transaction (as `email_deliver`).

    At the first transient failure the batch stops: the server is likely down or busy, and each
    remaining row would only wait for its own timeout. Returns the rows still pending (the failed
    one with its backoff, the untried ones due now), for the caller to retry.
    """
    connection = delivery_connection()
    pending = []
    try:
        connection.open()
    except Exception:  # the first row's own attempt records the error
        connection = None
    try:
        for index, email_id in enumerate(email_ids):
            email = email_deliver(email_id=email_id, connection=connection)
            if email is not None and email.status == Status.PENDING:
                rest = OutgoingEmail.objects.filter(pk__in=email_ids[index + 1 :], status=Status.PENDING)
                return [email, *rest]
    finally:
        if connection is not None:
            connection.close()
    return pending


@transaction.atomic
def outgoing_emails_retry(*, email_ids: list[int]) -> int:
    """Send failed (or stuck pending) rows again now, with a fresh count of attempts. Sent rows are left
    alone: sending them again would repeat an email. Returns how many were queued."""
    rows = list(
        OutgoingEmail.objects.select_for_update()
        .filter(pk__in=email_ids, status__in=[Status.FAILED, Status.PENDING])
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=rows).update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    if rows:
        deliver_on_commit(rows)
    return len(rows)


def outgoing_emails_due(*, now: datetime | None = None) -> list[int]:
    """Pending rows overdue by `EMAIL_SWEEP_GRACE_SECONDS`: their task was lost, or tasks run eagerly."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    due = OutgoingEmail.objects.filter(status=Status.PENDING, next_attempt_at__lte=overdue)
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH])
