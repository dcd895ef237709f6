from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data subject's rights: download one's data, delete one's account; retention of personal logs."""

    name = "privacy"
    verbose_name = _("Privacy")
