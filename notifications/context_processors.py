"""Template context shared by every page."""

from functools import cache

from notifications.selectors import notification_unread_count


def notifications(request) -> dict:
    """`unread_notification_count`: computed lazily, at most once per request, and never for anonymous users.

    The value is a cached callable, so the template engine calls it only where a
    template actually uses it, and repeated uses cost no further query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}

    @cache
    def unread_notification_count() -> int:
        return notification_unread_count(user=user)

    return {"unread_notification_count": unread_notification_count}
