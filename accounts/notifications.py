"""In-app notifications and their emails: one service to notify, selectors to read, services to mark read.

A notification stores its `kind` and the facts it is about (`data`), never a
sentence: the text is rendered when it is read, in the reader's language, by the
renderer registered for its kind in `NOTIFICATION_RENDERERS`. Other apps add a
kind to `Notification.Kind` and a renderer here (or register one at import time).

Emails are sent only after the surrounding transaction commits, one message per
recipient, so nobody sees another person's address.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User

Kind = Notification.Kind


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


# kind -> function(data) -> text in the active language.
NOTIFICATION_RENDERERS: dict[str, Callable[[dict], str]] = {
    Kind.PROPOSAL_STATUS: _render_proposal_status,
    Kind.PROPOSAL_MERGED: _render_proposal_merged,
    Kind.PROPOSAL_HIDDEN: _render_proposal_hidden,
    Kind.COAUTHOR_INVITATION: _render_coauthor_invitation,
    Kind.COAUTHOR_ACCEPTED: _render_coauthor_accepted,
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


def _send_notification_emails(*, notification_ids: list[int], language: str) -> None:
    """Send one plain-text email per notification (run on commit)."""
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    messages = []
    with translation.override(language):
        for notification in notifications:
            recipient = notification.recipient
            if not (recipient.is_active and recipient.email):
                continue
            context = {
                "recipient_name": recipient.public_name,
                "text": notification_text(notification),
                "url": _absolute_url(notification.url),
            }
            subject = render_to_string("emails/notification_subject.txt", context).strip()
            body = render_to_string("emails/notification_body.txt", context)
            messages.append(
                EmailMessage(
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[recipient.email],
                )
            )
    if messages:
        get_connection().send_messages(messages)


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
