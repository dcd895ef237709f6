from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and agencies")

    def ready(self) -> None:
        # Registers the `accounts.add_follow` rule.
        from accounts import follows  # noqa: F401
