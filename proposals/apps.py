from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        """Tell the lower apps about proposals: how they are discussed, followed, moderated, and earn points."""
        from contests.notifications import contest_participants
        from discussion.discussables import discussable_register
        from engagement.ledger_rules import rules_register
        from engagement.sources import point_sources
        from moderation.targets import moderation_targets
        from notifications.kinds import notification_kinds
        from notifications.subscriptions import followable_register
        from proposals import discussion, moderation, notifications, points
        from proposals.models import Proposal

        for kind in notifications.KINDS:
            notification_kinds.register(kind.key, kind)
        followable_register(notifications.FOLLOWABLE)
        contest_participants.register(self.name, notifications.contest_authors)
        discussable_register(discussion.DISCUSSABLE)
        moderation_targets.register(Proposal, moderation.MODERATION_TARGET)
        point_sources.register(Proposal, points.POINT_SOURCE)
        rules_register(*points.RULES)
