from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Inbox, email preferences, subscriptions (follows), the one email pipeline, digests and unsubscribe."""

    name = "notifications"
    verbose_name = _("Notifications")
