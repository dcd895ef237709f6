from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live boards: the publisher, the channel layer, the snapshot consumer and the browser client."""

    name = "live"
    verbose_name = _("Live boards")
