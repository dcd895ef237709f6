"""The one email pipeline: every email the platform sends is built here and queued in the outbox.

- `email_send` queues one message to one address (invitations, reminders, and the two below) in
  the caller's transaction; a task delivers it after commit (notifications.outbox). The subject is
  always a single line.
- `notification_emails_send` (run by a task after the notifying transaction commits) emails
  notifications to recipients who want one email per event, skipping the kinds they muted; each
  email carries a one-click unsubscribe link (RFC 8058) that stops notification emails (the
  preferences page mutes single kinds).
- notifications.digest sends the daily digest through `email_send` too.

Unsubscribe tokens are signed, never expire (links in old emails keep working) and name the
user. Tokens an older version of the platform signed with another salt are honoured through
`legacy_unsubscribe_salts`, which the app that sent them registers with the kinds they turn off.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from common.registry import Registry
from notifications.kinds import notification_text
from notifications.models import Notification, NotificationPreference
from notifications.outbox import deliver_on_commit, email_store, emails_store_many, outgoing_email, single_line

EmailMode = NotificationPreference.EmailMode
UNSUBSCRIBE_SALT = "accounts.notifications.unsubscribe"
# Salt of tokens in emails sent by an earlier version -> the kinds such a link turns off.
legacy_unsubscribe_salts: Registry[str, tuple[str, ...]] = Registry("legacy unsubscribe salts")


def absolute_url(path: str) -> str:
    """`path` on this site's domain (the Site framework), for links in emails."""
    if not path:
        return ""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


__all__ = ["single_line"]  # re-exported: callers build single-line texts with it


def _queue(*, to: str, subject: str, body: str, headers=None, key=None, deliver: bool = True) -> int | None:
    subject = single_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}")
    email = email_store(to=to, subject=subject, body=body, headers=headers, key=key, deliver=deliver)
    return None if email is None else email.pk


def email_send(
    *, to: str, subject: str, body: str, headers: dict[str, str] | None = None, key: str | None = None
) -> bool:
    """Queue one plain-text email to one address, with the site's subject prefix; it goes out after the
    caller's transaction commits. `key` names its event, so one event never queues two (False then)."""
    return _queue(to=to, subject=subject, body=body, headers=headers, key=key) is not None


def emails_send_on_commit(messages: list[tuple[str, str, str]]) -> None:
    """Queue (address, subject, body) emails, one per address; they go out once the caller's transaction commits."""
    queued = [_queue(to=to, subject=subject, body=body, deliver=False) for to, subject, body in messages]
    deliver_on_commit([pk for pk in queued if pk is not None])


# --- preferences as the pipeline reads them ------------------------------------------------------


def email_preferences(user_ids: Iterable[int]) -> dict[int, tuple[str, frozenset[str]]]:
    """Each user's (email mode, muted kinds) in one query; users without a saved preference get every email."""
    user_ids = list(user_ids)
    saved = {
        user_id: (mode, frozenset(muted or ()))
        for user_id, mode, muted in NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "email_mode", "muted_kinds"
        )
    }
    return {user_id: saved.get(user_id, (EmailMode.EACH, frozenset())) for user_id in user_ids}


# --- unsubscribe --------------------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    """A signed token naming the user: its link stops every notification email."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_decode(token: str) -> tuple[User, tuple[str, ...]] | None:
    """(user, kinds the link turns off; empty for every email) of a valid token, new or legacy; None otherwise."""
    candidates = [(UNSUBSCRIBE_SALT, None), *legacy_unsubscribe_salts.items()]
    for salt, legacy_kinds in candidates:
        try:
            payload = signing.loads(token, salt=salt)
        except signing.BadSignature:
            continue
        if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
            return None
        user = User.objects.filter(pk=payload["user"]).first()
        if user is None:
            return None
        return user, tuple(legacy_kinds or ())
    return None


def unsubscribe_url(user: User) -> str:
    return absolute_url(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 headers: mail clients show their own "Unsubscribe" button and POST to the link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- one email per event -------------------------------------------------------------------------


@transaction.atomic
def notification_emails_send(*, notification_ids: list[int], language: str) -> int:
    """Email each notification to its recipient if they want one email per event and did not mute its kind.

    Marks what it queued (`emailed_at`) in the same transaction as the outbox rows, so the digest
    never repeats it and running this twice queues nothing new. Returns how many were queued.
    """
    notifications = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient")
    )
    preferences = email_preferences({notification.recipient_id for notification in notifications})
    sent, queued = [], []
    with translation.override(language):
        for notification in notifications:
            recipient = notification.recipient
            mode, muted = preferences[recipient.pk]
            if mode != EmailMode.EACH or notification.kind in muted or not (recipient.is_active and recipient.email):
                continue
            link = unsubscribe_url(recipient)
            context = {
                "recipient_name": recipient.public_name,
                "text": notification_text(notification),
                "url": absolute_url(notification.url),
                "unsubscribe_url": link,
                "preferences_url": absolute_url(reverse("notifications:preferences")),
            }
            subject = render_to_string("notifications/emails/event_subject.txt", context)
            queued.append(
                outgoing_email(
                    to=recipient.email,
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                    body=render_to_string("notifications/emails/event_body.txt", context),
                    headers=unsubscribe_headers(link),
                    key=f"notification:{notification.pk}",  # new: this notification is locked and not emailed
                )
            )
            sent.append(notification.pk)
    emails_store_many(queued)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)
