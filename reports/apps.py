from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Citizen reports")

    def ready(self):
        """Tell the lower apps about reports: their notification kinds, following, points, live board."""
        from engagement.ledger_rules import rules_register
        from engagement.sources import point_sources
        from live.boards import BoardKind, board_kinds
        from notifications.kinds import notification_kinds
        from notifications.subscriptions import followable_register
        from reports import live, notifications, points
        from reports.models import Report

        for kind in notifications.KINDS:
            notification_kinds.register(kind.key, kind)
        followable_register(notifications.FOLLOWABLE)
        point_sources.register(Report, points.POINT_SOURCE)
        rules_register(*points.RULES)
        board_kinds.register(
            live.BOARD_PREFIX, BoardKind(prefix=live.BOARD_PREFIX, take_snapshot=live.reports_snapshot_for)
        )
