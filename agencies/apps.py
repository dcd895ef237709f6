from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from accounts.verification import verification_methods
        from agencies.census import CENSUS_METHOD

        verification_methods.register(CENSUS_METHOD.level, CENSUS_METHOD)
