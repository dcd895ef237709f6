"""Reads for notifications: the inbox, the unread count, a user's email preference."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.emails import email_preferences
from notifications.models import Notification


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first. Rendering needs no further query."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_unread_count(*, user: User) -> int:
    """How many unread notifications the user has (one query; none for anonymous users)."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_email_mode(*, user: User) -> str:
    return email_preferences([user.pk])[user.pk][0]


def notification_muted_kinds(*, user: User) -> frozenset[str]:
    return email_preferences([user.pk])[user.pk][1]
