from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from allauth.account.signals import user_logged_in

        from agencies.mfa import mark_session_on_sign_in

        user_logged_in.connect(mark_session_on_sign_in, dispatch_uid="agencies-mfa-on-sign-in")
