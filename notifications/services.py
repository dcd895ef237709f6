"""Writes for notifications: notify, mark read, email preferences.

`notification_notify` is the one way to tell people something: it stores one notification
per recipient (rendered later in each reader's language, notifications.kinds) and, after
the caller's transaction commits, a task emails those who want one email per event
(notifications.emails): the fan-out to many followers costs the request one INSERT.
Each email goes to one recipient, so nobody sees another address.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from common.background import task_on_commit
from notifications import tasks
from notifications.kinds import notification_kinds
from notifications.models import Notification, NotificationPreference

EmailMode = NotificationPreference.EmailMode


@transaction.atomic
def notification_notify(
    *, recipients: Iterable[User], kind: str, data: dict, url: str = "", send_email: bool = True
) -> list[Notification]:
    """Create one notification per distinct active recipient and, after commit, email each of them separately
    (a task renders and queues the emails; if the broker is down it runs here, see common.background).

    `kind` must be registered (notifications.kinds). `data` must be JSON-serialisable facts
    (titles, names, statuses), not sentences: the text is rendered per reader. Emails are
    rendered in the language active now.
    """
    if kind not in notification_kinds:
        raise ValueError(f"Unknown notification kind {kind!r}")
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, data=data, url=url) for user in unique.values()]
    )
    if send_email and notifications:
        task_on_commit(
            tasks.notification_emails,
            [notification.pk for notification in notifications],
            translation.get_language() or settings.LANGUAGE_CODE,
            run_here_if_broker_down=True,
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


@transaction.atomic
def notification_preference_set(
    *, user: User, email_mode: str | None = None, muted_kinds: Iterable[str] | None = None
) -> NotificationPreference:
    """Choose how the user gets notification emails and which kinds are never emailed.

    ValueError for an unknown mode or kind. Switching to the digest starts it from now, so a
    first digest does not carry notifications from before the choice.
    """
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if email_mode is not None:
        if email_mode not in EmailMode.values:
            raise ValueError(f"Unknown email mode {email_mode!r}")
        if email_mode == EmailMode.DIGEST and preference.email_mode != EmailMode.DIGEST:
            preference.last_digest_at = timezone.now()
        preference.email_mode = email_mode
    if muted_kinds is not None:
        muted = sorted(set(muted_kinds))
        unknown = [kind for kind in muted if kind not in notification_kinds]
        if unknown:
            raise ValueError(f"Unknown notification kinds {unknown!r}")
        preference.muted_kinds = muted
    preference.save()
    return preference


def notification_kinds_mute(*, user: User, kinds: Iterable[str]) -> NotificationPreference:
    """Add kinds to those the user never gets by email (a kind's unsubscribe link)."""
    current = NotificationPreference.objects.filter(user=user).values_list("muted_kinds", flat=True).first() or []
    return notification_preference_set(user=user, muted_kinds=[*current, *kinds])


def notification_kinds_unmute(*, user: User, kinds: Iterable[str]) -> NotificationPreference:
    current = NotificationPreference.objects.filter(user=user).values_list("muted_kinds", flat=True).first() or []
    return notification_preference_set(user=user, muted_kinds=[kind for kind in current if kind not in set(kinds)])
