"""Points a submitted review earns its reviewer (registered with engagement.sources in jury.apps)."""

from engagement.models import PointsEntry
from engagement.sources import Deserved, PointSource
from jury.models import Review

Action = PointsEntry.Action


def review_deserved(review: Review) -> Deserved:
    if review.status == Review.Status.SUBMITTED and review.reviewer.user_id:
        return {(Action.REVIEW_COMPLETED, review.reviewer.user_id): review.reviewer.contest_id}
    return {}


POINT_SOURCE = PointSource(
    fresh=lambda pk: Review.objects.select_related("reviewer").filter(pk=pk).first(),
    deserved=review_deserved,
    actions=(Action.REVIEW_COMPLETED,),
)
