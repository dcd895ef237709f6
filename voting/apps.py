from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from live.boards import BoardKind, board_kinds
        from proposals.signals import proposal_merged
        from voting.leaderboard import BOARD_PREFIX, leaderboard_snapshot_for
        from voting.tallies import votes_move_on_merge

        board_kinds.register(BOARD_PREFIX, BoardKind(prefix=BOARD_PREFIX, take_snapshot=leaderboard_snapshot_for))
        proposal_merged.connect(votes_move_on_merge, dispatch_uid="voting-votes-move-on-merge")
