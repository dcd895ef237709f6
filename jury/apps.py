from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    """The design's "jury reviews" (listed under voting/ in DESIGN.md's layout).

    Kept in its own app while voting/ is edited concurrently; moving it into voting/
    later is mechanical (models keep their db_table through Meta if needed).
    """

    name = "jury"
    verbose_name = _("Jury review")
