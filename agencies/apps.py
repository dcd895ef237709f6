from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from allauth.account.signals import user_logged_in

        from accounts.verification import verification_methods
        from agencies.census import CENSUS_METHOD
        from agencies.mfa import mark_session_on_sign_in

        user_logged_in.connect(mark_session_on_sign_in, dispatch_uid="agencies-mfa-on-sign-in")
        verification_methods.register(CENSUS_METHOD.level, CENSUS_METHOD)
