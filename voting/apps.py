from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from contests.models import Contest
        from live.boards import BoardKind, board_kinds
        from proposals.models import Proposal, ProposalCoAuthor
        from proposals.signals import proposal_merged
        from voting import votefacts
        from voting.leaderboard import BOARD_PREFIX, leaderboard_snapshot_for
        from voting.tallies import votes_move_on_merge

        board_kinds.register(BOARD_PREFIX, BoardKind(prefix=BOARD_PREFIX, take_snapshot=leaderboard_snapshot_for))
        proposal_merged.connect(votes_move_on_merge, dispatch_uid="voting-votes-move-on-merge")
        # The vote facts cache forgets what changes (voting/votefacts.py).
        for model, receiver in (
            (Proposal, votefacts.forget_proposal),
            (ProposalCoAuthor, votefacts.forget_coauthorship),
            (Contest, votefacts.forget_contest),
            (get_user_model(), votefacts.forget_user),
            (EmailAddress, votefacts.forget_email_address),
            (Token, votefacts.forget_token),
        ):
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"voting-votefacts-{model.__name__}-{signal}")
