from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    """Jury review: rubric, reviewers, assignment, reviews, aggregation and final results."""

    name = "jury"
    verbose_name = _("Jury review")

    def ready(self):
        from contests.anonymity import author_anonymity
        from contests.records import ResultsSummary, results_summaries
        from engagement.ledger_rules import rules_register
        from engagement.sources import point_sources
        from jury import points
        from jury.models import Review
        from jury.review_opening import REVIEW_ASSIGNED
        from jury.selectors import contest_in_blind_review, results_record_summary
        from notifications.kinds import notification_kinds

        point_sources.register(Review, points.POINT_SOURCE)
        author_anonymity.register("jury", contest_in_blind_review)
        rules_register(*points.RULES)
        notification_kinds.register(REVIEW_ASSIGNED.key, REVIEW_ASSIGNED)
        results_summaries.register("final_ranking", ResultsSummary(summarise=results_record_summary))
