"""In-app notifications and their emails: one service to notify, selectors to read, services to mark read.

A notification stores its `kind` and the facts it is about (`data`), never a
sentence: the text is rendered when it is read, in the reader's language, by the
renderer registered for its kind in `NOTIFICATION_RENDERERS`. Other apps add a
kind to `Notification.Kind` and a renderer here (or register one at import time).

Emails are sent only after the surrounding transaction commits, one message per
recipient, so nobody sees another person's address. Each user chooses how they get
emails (`NotificationPreference.email_mode`): one per event (sent here), one daily
digest (`accounts.digest`, run by `manage.py send_digests`) or none. Every email
carries a signed one-click unsubscribe link (`email_unsubscribe_url`).
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, NotificationPreference, User

Kind = Notification.Kind
EmailMode = NotificationPreference.EmailMode
UNSUBSCRIBE_SALT = "accounts.notifications.unsubscribe"


def _status_label(status: str) -> str:
    # Imported late: accounts must not import proposals at module load (proposals imports accounts).
    from proposals.models import Proposal

    try:
        return str(Proposal.Status(status).label)
    except ValueError:
        return status


def _render_proposal_status(data: dict) -> str:
    return _("%(agency)s answered your proposal “%(title)s”: %(status)s.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("proposal_title", ""),
        "status": _status_label(data.get("status", "")),
    }


def _render_proposal_merged(data: dict) -> str:
    return _("Your proposal “%(title)s” was merged into “%(target)s” by the moderators.") % {
        "title": data.get("proposal_title", ""),
        "target": data.get("target_title", ""),
    }


def _render_proposal_hidden(data: dict) -> str:
    return _("Your proposal “%(title)s” was hidden by the moderators. Reason: %(reason)s") % {
        "title": data.get("proposal_title", ""),
        "reason": data.get("reason", ""),
    }


def _render_coauthor_invitation(data: dict) -> str:
    return _("%(name)s invited you to co-author “%(title)s”.") % {
        "name": data.get("inviter_name", ""),
        "title": data.get("proposal_title", ""),
    }


def _render_coauthor_accepted(data: dict) -> str:
    return _("%(name)s is now a co-author of “%(title)s”.") % {
        "name": data.get("coauthor_name", ""),
        "title": data.get("proposal_title", ""),
    }


def _render_followed_proposal_status(data: dict) -> str:
    return _("%(agency)s answered “%(title)s”, a proposal you follow: %(status)s.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("proposal_title", ""),
        "status": _status_label(data.get("status", "")),
    }


def _render_contest_phase(data: dict) -> str:
    templates = {
        "submission_opens": _("Submission is open in “%(title)s”: send your proposal."),
        "submission_closes": _("Submission has closed in “%(title)s”."),
        "voting_opens": _("Voting is open in “%(title)s”."),
        "results_published": _("The results of “%(title)s” are published."),
    }
    template = templates.get(data.get("event", ""), _("“%(title)s” moved to a new phase."))
    return template % {"title": data.get("contest_title", "")}


def _render_contest_published(data: dict) -> str:
    return _("%(agency)s published a new contest: “%(title)s”.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("contest_title", ""),
    }


# kind -> function(data) -> text in the active language.
NOTIFICATION_RENDERERS: dict[str, Callable[[dict], str]] = {
    Kind.PROPOSAL_STATUS: _render_proposal_status,
    Kind.PROPOSAL_MERGED: _render_proposal_merged,
    Kind.PROPOSAL_HIDDEN: _render_proposal_hidden,
    Kind.COAUTHOR_INVITATION: _render_coauthor_invitation,
    Kind.COAUTHOR_ACCEPTED: _render_coauthor_accepted,
    Kind.FOLLOWED_PROPOSAL_STATUS: _render_followed_proposal_status,
    Kind.CONTEST_PHASE: _render_contest_phase,
    Kind.CONTEST_PUBLISHED: _render_contest_published,
}


def notification_text(notification: Notification) -> str:
    """The notification's sentence in the active language, from its stored kind and data."""
    renderer = NOTIFICATION_RENDERERS.get(notification.kind)
    if renderer is None:
        return str(Kind(notification.kind).label) if notification.kind in Kind.values else ""
    return renderer(notification.data or {})


def _absolute_url(path: str) -> str:
    if not path:
        return ""
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def email_modes(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's email mode (one query); users without a saved preference get one email per event."""
    user_ids = list(user_ids)
    saved = dict(NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email_mode"))
    return {user_id: saved.get(user_id, EmailMode.EACH) for user_id in user_ids}


def email_unsubscribe_token(user: User) -> str:
    """A signed token naming the user; it never expires, so links in old emails keep working."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def email_unsubscribe_user(token: str) -> User | None:
    """The user a valid, untampered unsubscribe token was made for, or None."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    return User.objects.filter(pk=payload["user"]).first()


def email_unsubscribe_url(user: User) -> str:
    return _absolute_url(reverse("follows:unsubscribe", kwargs={"token": email_unsubscribe_token(user)}))


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058 headers: mail clients show their own "Unsubscribe" button and POST to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send_notification_emails(*, notification_ids: list[int], language: str) -> None:
    """Send one plain-text email per notification to recipients who want each event (run on commit)."""
    notifications = list(Notification.objects.filter(pk__in=notification_ids).select_related("recipient"))
    modes = email_modes({notification.recipient_id for notification in notifications})
    messages = []
    sent_ids = []
    with translation.override(language):
        for notification in notifications:
            recipient = notification.recipient
            if modes[recipient.pk] != EmailMode.EACH or not (recipient.is_active and recipient.email):
                continue
            unsubscribe_url = email_unsubscribe_url(recipient)
            context = {
                "recipient_name": recipient.public_name,
                "text": notification_text(notification),
                "url": _absolute_url(notification.url),
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": _absolute_url(reverse("follows:preferences")),
            }
            subject = render_to_string("emails/notification_event_subject.txt", context).strip()
            body = render_to_string("emails/notification_event_body.txt", context)
            messages.append(
                EmailMessage(
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[recipient.email],
                    headers=unsubscribe_headers(unsubscribe_url),
                )
            )
            sent_ids.append(notification.pk)
    if messages:
        get_connection().send_messages(messages)
        Notification.objects.filter(pk__in=sent_ids).update(emailed_at=timezone.now())


@transaction.atomic
def notification_email_mode_set(*, user: User, email_mode: str) -> NotificationPreference:
    """Choose how the user gets notification emails. Raises ValueError for an unknown mode.

    Switching to the digest starts it from now, so a first digest does not carry
    notifications from before the choice.
    """
    if email_mode not in EmailMode.values:
        raise ValueError(f"Unknown email mode {email_mode!r}")
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if email_mode == EmailMode.DIGEST and preference.email_mode != EmailMode.DIGEST:
        preference.last_digest_at = timezone.now()
    preference.email_mode = email_mode
    preference.save()
    return preference


def notification_email_mode(*, user: User) -> str:
    return email_modes([user.pk])[user.pk]


@transaction.atomic
def notification_notify(
    *, recipients: Iterable[User], kind: str, data: dict, url: str = "", send_email: bool = True
) -> list[Notification]:
    """Create one notification per distinct recipient and, after commit, email each of them separately.

    `data` must be JSON-serialisable facts (titles, names, statuses), not sentences:
    the text is rendered per reader. Emails are rendered in the language active now.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, data=data, url=url) for user in unique.values()]
    )
    if send_email and notifications:
        transaction.on_commit(
            partial(
                _send_notification_emails,
                notification_ids=[notification.pk for notification in notifications],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        )
    return notifications


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications read. False if it is not theirs (or does not exist)."""
    found = Notification.objects.filter(pk=notification_id, recipient=user).exists()
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    return found


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first. Rendering needs no further query."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_unread_count(*, user: User) -> int:
    """How many unread notifications the user has (one query; none for anonymous users)."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
