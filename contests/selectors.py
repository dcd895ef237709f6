"""Reads of contests, shaped for the pages that show them."""

from django.utils import timezone

from contests.models import Contest, ContestQuerySet


def contest_list_open(*, now=None) -> ContestQuerySet:
    """Published contests open for submission or voting, soonest deadline first."""
    now = now or timezone.now()
    return Contest.objects.accepting_participation(now).select_related("agency").order_by("voting_closes_at", "pk")


def contest_list_for_agency(*, agency, include_drafts: bool = False) -> ContestQuerySet:
    contests = Contest.objects.filter(agency=agency).select_related("agency")
    if not include_drafts:
        contests = contests.published()
    return contests.order_by("-submission_opens_at", "pk")
