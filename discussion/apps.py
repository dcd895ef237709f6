from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    """Threaded comments (django-comments-xtd) on registered discussables, reactions, blocklists."""

    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from django_comments_xtd.models import XtdComment

        from discussion import moderation, notifications, points
        from discussion.discussables import CONTEST_DISCUSSABLE, discussable_register
        from engagement.ledger_rules import rules_register
        from engagement.sources import point_sources
        from moderation.targets import moderation_targets
        from notifications.emails import legacy_unsubscribe_salts
        from notifications.kinds import notification_kinds

        discussable_register(CONTEST_DISCUSSABLE)
        for kind in notifications.KINDS:
            notification_kinds.register(kind.key, kind)
        legacy_unsubscribe_salts.register(notifications.LEGACY_UNSUBSCRIBE_SALT, notifications.LEGACY_MUTED_KINDS)
        moderation_targets.register(XtdComment, moderation.MODERATION_TARGET)
        point_sources.register(XtdComment, points.POINT_SOURCE)
        rules_register(*points.RULES)
