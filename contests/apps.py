from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        from contests import notifications
        from notifications.kinds import notification_kinds
        from notifications.subscriptions import followable_register

        for kind in notifications.KINDS:
            notification_kinds.register(kind.key, kind)
        for followable in notifications.FOLLOWABLES:
            followable_register(followable)
