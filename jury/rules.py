"""Who may do what in jury review (django-rules predicates).

Permissions take a Contest (with its agency loaded); who reviews what is checked by
jury.selectors.reviewer_role and the services. Phase and lock checks live in the services,
which give the specific message ("review is closed", "already submitted").
"""

import rules
from django.utils import timezone

from accounts.rules import is_site_admin
from contests.rules import is_manager_of_contest_agency, is_published_contest
from jury.models import ContestReviewSettings


def results_are_published(contest, now=None) -> bool:
    """Results are public from `results_at`, or earlier when a manager published them."""
    now = now or timezone.now()
    if not contest.is_published:
        return False
    if now >= contest.results_at:
        return True
    try:
        settings = contest.review_settings  # cached on the contest after the first look
    except ContestReviewSettings.DoesNotExist:
        return False
    return settings.results_published_at is not None


@rules.predicate
def has_published_results(user, contest) -> bool:
    return contest is not None and results_are_published(contest)


can_manage_review = is_site_admin | is_manager_of_contest_agency

rules.add_perm("jury.manage_review", can_manage_review)
rules.add_perm("jury.view_results", (is_published_contest & has_published_results) | can_manage_review)
