"""Review opens by itself: when a contest's review phase starts, reviewers are assigned and told.

Celery beat runs `review_assignments_run` every few minutes (jury.tasks). For each published
contest whose review is open and whose automatic assignment has not happened yet, it assigns
reviewers exactly as the managers' "Assign reviewers" button does (jury.services.assignment_run),
then sends each reviewer who has proposals to score one notification. The contest's review
settings row is locked and stamped (`auto_assigned_at`) in the same transaction, so a second run,
or two at once, change nothing. A contest without a rubric or without active reviewers is not
stamped: it is assigned on the first run after the managers add them. Managers can still
re-run the assignment by hand later (new reviewers, new conflicts).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from contests.models import Contest
from jury.models import ContestReviewer, ContestReviewSettings, Review
from jury.services import assignment_run, review_is_open
from notifications.kinds import NotificationKind
from notifications.services import notification_notify

logger = logging.getLogger(__name__)


def _render_review_assigned(data: dict) -> str:
    return _("Review is open in “%(title)s”: proposals are waiting for your scores.") % {
        "title": data.get("contest_title", "")
    }


REVIEW_ASSIGNED = NotificationKind(
    "review_assigned", gettext_lazy("Proposals assigned to you for review"), _render_review_assigned
)


def contests_awaiting_assignment(*, now: datetime) -> list[Contest]:
    """Published contests in their review window that the job has not assigned yet."""
    candidates = (
        Contest.objects.published()
        .filter(voting_closes_at__lte=now, review_closes_at__gt=now)
        .filter(Q(review_settings__isnull=True) | Q(review_settings__auto_assigned_at__isnull=True))
        .select_related("agency")
        .order_by("pk")
    )
    return [contest for contest in candidates if review_is_open(contest, now)]


@transaction.atomic
def review_opening_assign(*, contest: Contest, now: datetime | None = None) -> int | None:
    """Assign the contest's reviewers and notify them, once. Returns how many reviewers were notified,
    or None when there is nothing to do yet (already done, review not open, no rubric or reviewers).
    Raises ValidationError when the reviewers cannot cover the proposals (nothing is stamped then)."""
    now = now or timezone.now()
    review_settings, _created = ContestReviewSettings.objects.select_for_update().get_or_create(contest=contest)
    if review_settings.auto_assigned_at is not None or not review_is_open(contest, now):
        return None
    active = contest.reviewers.filter(status=ContestReviewer.Status.ACTIVE)
    if not contest.criteria.exists() or not active.exists():
        return None
    assignment_run(contest=contest)
    review_settings.auto_assigned_at = now
    review_settings.save(update_fields=["auto_assigned_at"])
    with_reviews = Review.objects.filter(reviewer__contest=contest).values("reviewer__user_id")
    reviewers = list(User.objects.filter(pk__in=with_reviews, is_active=True).order_by("pk"))
    notification_notify(
        recipients=reviewers,
        kind=REVIEW_ASSIGNED.key,
        data={"contest_id": contest.pk, "contest_title": contest.title},
        url=reverse("jury:dashboard"),
    )
    return len(reviewers)


def review_assignments_run(*, now: datetime | None = None) -> int:
    """Every contest whose review has opened gets its assignments; returns how many contests were assigned."""
    now = now or timezone.now()
    assigned = 0
    for contest in contests_awaiting_assignment(now=now):
        try:
            notified = review_opening_assign(contest=contest, now=now)
        except ValidationError as error:
            # Too few reviewers for R per proposal: the managers see it on the jury page and fix it.
            logger.warning("Contest %s: reviewers not assigned: %s", contest.pk, "; ".join(error.messages))
            continue
        assigned += notified is not None
    return assigned
