from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Reports on any registered content, hide or dismiss, and the agency's queue."""

    name = "moderation"
    verbose_name = _("Moderation")
