from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from proposals.similarity import MERGE_HANDLERS
        from voting.services import votes_move_on_merge

        if votes_move_on_merge not in MERGE_HANDLERS:
            MERGE_HANDLERS.append(votes_move_on_merge)
