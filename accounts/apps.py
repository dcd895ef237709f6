from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import pre_save

        from accounts.models import User
        from accounts.services import tokens_revoke_on_password_change

        pre_save.connect(tokens_revoke_on_password_change, sender=User, dispatch_uid="accounts-tokens-on-password")
