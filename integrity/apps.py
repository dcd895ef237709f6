from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """The integrity monitor: ballot signals, quarantine, the managers' queue, the public report."""

    name = "integrity"
    verbose_name = _("Vote integrity")

    def ready(self):
        from contests.records import ResultsSummary, results_summaries
        from integrity.selectors import integrity_record_summary
        from integrity.services import ballot_cast_received, ballots_cast_received
        from voting.signals import ballot_cast, ballots_cast

        ballot_cast.connect(ballot_cast_received, dispatch_uid="integrity-ballot-cast")
        ballots_cast.connect(ballots_cast_received, dispatch_uid="integrity-ballots-cast")
        results_summaries.register("integrity", ResultsSummary(summarise=integrity_record_summary))
