from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Points, badges and contributor leaderboards.

    Its own app: a contributor's points gather actions from proposals, comments, voting
    and jury review, so they belong to none of those apps (DESIGN.md's layout has no place for them).
    """

    name = "engagement"
    verbose_name = _("Engagement")

    def ready(self):
        from engagement.ledger_rules import ACTIVE_VOTER, CONTEST_VOTED, rules_register
        from engagement.selectors import BOARD_PREFIX, contributor_snapshot_for
        from live.boards import BoardKind, board_kinds

        board_kinds.register(BOARD_PREFIX, BoardKind(prefix=BOARD_PREFIX, take_snapshot=contributor_snapshot_for))
        rules_register(CONTEST_VOTED, ACTIVE_VOTER)
