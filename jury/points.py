"""Points a submitted review earns its reviewer (registered with engagement.sources in jury.apps)."""

from django.utils.translation import gettext_lazy as _

from engagement.ledger_rules import ActionRule, BadgeRule
from engagement.sources import Deserved, PointSource
from jury.models import Review

REVIEW_COMPLETED = ActionRule(
    "review_completed",
    _("Jury review completed"),
    5,
    20,
    _("Complete a jury review (5 points, up to 20 a day)."),
    after_results=True,  # who reviews stays private until the results are out
)
RULES = (REVIEW_COMPLETED, BadgeRule("reviewer", REVIEW_COMPLETED.key, 1, _("Reviewer"), _("Completed a jury review.")))


def review_deserved(review: Review) -> Deserved:
    if review.status == Review.Status.SUBMITTED and review.reviewer.user_id:
        return {(REVIEW_COMPLETED.key, review.reviewer.user_id): review.reviewer.contest_id}
    return {}


POINT_SOURCE = PointSource(
    fresh=lambda pk: Review.objects.select_related("reviewer").filter(pk=pk).first(),
    deserved=review_deserved,
    actions=(REVIEW_COMPLETED.key,),
)
