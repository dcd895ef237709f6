from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrotasksConfig(AppConfig):
    """Task campaigns (抢单): claims, proof, review, data tasks with gold items."""

    name = "microtasks"
    verbose_name = _("Micro-tasks")

    def ready(self):
        """Tell the lower apps about micro-tasks: the points action, notification kinds, the live task board."""
        from engagement.ledger_rules import rules_register
        from live.boards import BoardKind, board_kinds
        from microtasks import notifications, points
        from microtasks.live import BOARD_PREFIX, task_board_snapshot_for
        from notifications.kinds import notification_kinds

        rules_register(*points.RULES)
        for kind in notifications.KINDS:
            notification_kinds.register(kind.key, kind)
        board_kinds.register(BOARD_PREFIX, BoardKind(prefix=BOARD_PREFIX, take_snapshot=task_board_snapshot_for))
