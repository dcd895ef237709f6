from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        # These modules register their `proposals.*` permissions next to the services that use
        # them; import them at start-up so every permission exists whatever code runs first.
        from proposals import comments, moderation, responses, similarity  # noqa: F401

        if comments.comments_move_on_merge not in similarity.MERGE_HANDLERS:
            similarity.MERGE_HANDLERS.append(comments.comments_move_on_merge)
