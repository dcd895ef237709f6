"""Reads of contests, shaped for the pages that show them."""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Prefetch
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency
from common.search import search_filter
from contests.models import Category, Contest, ContestQuerySet, DeadlineChange
from contests.phases import phase_filter


def contest_visible_to(*, slug: str, user) -> Contest | None:
    """The contest with this slug if `user` may see it (published, or theirs to manage), else None."""
    contest = Contest.objects.select_related("agency").filter(slug=slug).first()
    if contest is None or not user.has_perm("contests.view_contest", contest):
        return None
    return contest


def contest_for_viewer(*, slug: str, user) -> Contest:
    """As contest_visible_to, but a 404 for unknown and invisible contests alike (drafts do not show they exist)."""
    contest = contest_visible_to(slug=slug, user=user)
    if contest is None:
        raise Http404
    return contest


def contest_list_open(*, now=None) -> ContestQuerySet:
    """Published contests open for submission or voting, soonest deadline first."""
    now = now or timezone.now()
    return Contest.objects.accepting_participation(now).select_related("agency").order_by("voting_closes_at", "pk")


def contest_list_for_agency(*, agency, include_drafts: bool = False) -> ContestQuerySet:
    contests = Contest.objects.filter(agency=agency).select_related("agency")
    if not include_drafts:
        contests = contests.published()
    return contests.order_by("-submission_opens_at", "pk")


def contest_list(
    *,
    agency: str = "",
    phase: str = "",
    category: str = "",
    q: str = "",
    now: datetime | None = None,
) -> ContestQuerySet:
    """Published contests filtered by agency slug, phase, category slug and a text search.

    `q` searches the words of title, summary and description, English and Chinese, best match
    first (common.search: a GIN index on PostgreSQL, a token match on SQLite).
    Agency and categories are loaded with the page's one query plus one prefetch.
    """
    now = now or timezone.now()
    contests = Contest.objects.published()
    if agency:
        contests = contests.filter(agency__slug=agency)
    if phase:
        contests = contests.filter(phase_filter(phase, now))
    if category:
        contests = contests.filter(Exists(Category.objects.filter(contest=OuterRef("pk"), slug=category)))
    ordering = ["-submission_opens_at", "pk"]
    contests, searched = search_filter(contests, q)
    if searched:
        ordering = [F("search_rank").desc(), *ordering]
    return (
        contests.select_related("agency")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("name")))
        .order_by(*ordering)
    )


def contest_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Agencies and categories that appear on published contests, for the list page's filters."""
    agencies = list(
        Agency.objects.filter(contests__is_published=True).distinct().order_by("name").values_list("slug", "name")
    )
    categories: dict[str, str] = {}
    for slug, name in (
        Category.objects.filter(contest__is_published=True).order_by("name").values_list("slug", "name").distinct()
    ):
        categories.setdefault(slug, name)
    return {"agencies": agencies, "categories": sorted(categories.items(), key=lambda item: item[1].lower())}


def contest_detail(*, slug: str) -> Contest | None:
    """One contest shaped for its page (agency, categories, public deadline log), drafts included.

    The caller checks `contests.view_contest` and answers 404 when it fails.
    """
    return (
        Contest.objects.select_related("agency")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("name")),
            Prefetch(
                "deadline_changes",
                queryset=DeadlineChange.objects.select_related("changed_by").order_by("-created_at", "-pk"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
