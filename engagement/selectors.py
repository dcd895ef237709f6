"""Reads for points, badges and contributor leaderboards.

Totals are never stored: they are sums over the ledger ((user, created_at) and
(contest, created_at) indexes). A board counts a contributor's active awards
(not reversed) made within the period; users who opted out, and inactive
accounts, are left out of every public board (page, API and websocket).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import public_name_for
from contests.anonymity import authors_hidden
from contests.models import Contest
from engagement.ledger_rules import badges, points_actions
from engagement.models import BadgeAward, EngagementPreference, PointsEntry
from live.boards import board_group, board_snapshot_cached, board_version_next

PERIODS: dict[str, tuple[Promise, timedelta | None]] = {
    "week": (_("Last 7 days"), timedelta(days=7)),
    "month": (_("Last 30 days"), timedelta(days=30)),
    "all": (_("All time"), None),
}
DEFAULT_PERIOD = "week"
SITE_SCOPE = "site"
BOARD_PREFIX = "cb"


def contributor_group(*, contest_id: int | None, period: str) -> str:
    """ "cb.<contest id|site>.<period>": the live board's group, version row and cache key."""
    return board_group(BOARD_PREFIX, f"{contest_id if contest_id is not None else SITE_SCOPE}.{period}")


# --- totals and audit ------------------------------------------------------------------------------


def points_total(*, user) -> int:
    """The user's points: the sum of their ledger entries (an award and its reversal cancel out)."""
    return PointsEntry.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0


def points_totals(*, user_ids=None) -> dict[int, int]:
    """{user_id: points} by aggregation in the database, for the given users or everyone with entries."""
    entries = PointsEntry.objects.all()
    if user_ids is not None:
        entries = entries.filter(user_id__in=list(user_ids))
    return {
        user_id: total
        for user_id, total in entries.values("user_id").annotate(total=Sum("points")).values_list("user_id", "total")
    }


@dataclass
class LedgerAudit:
    totals: dict[int, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def points_rebuild(*, user_ids=None) -> LedgerAudit:
    """Replay the ledger entry by entry and recompute every total, checking its rules on the way.

    A reversal must cancel exactly one award of the same user, action and object;
    only one award of a (user, action, object) may be active at a time. The totals
    returned must equal `points_totals` (the management command `points_audit` compares them).
    """
    audit = LedgerAudit()
    entries = PointsEntry.objects.order_by("created_at", "pk")
    if user_ids is not None:
        entries = entries.filter(user_id__in=list(user_ids))
    awards: dict[int, tuple] = {}
    active: dict[tuple, int] = {}
    totals: dict[int, int] = defaultdict(int)
    for pk, user_id, action, ct, object_id, points, reverses_id in entries.values_list(
        "pk", "user_id", "action", "content_type_id", "object_id", "points", "reverses_id"
    ).iterator(chunk_size=2000):
        key = (user_id, action, ct, object_id)
        if reverses_id is None:
            if key in active:
                audit.problems.append(f"entry {pk}: second active award for {key}")
            active[key] = pk
            awards[pk] = (key, points)
        else:
            award = awards.get(reverses_id)
            if award is None or award[0] != key or award[1] != -points:
                audit.problems.append(f"entry {pk}: does not cancel award {reverses_id}")
            if active.get(key) == reverses_id:
                del active[key]
        totals[user_id] += points
    audit.totals = dict(totals)
    return audit


# --- badges -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeView:
    badge: str
    name: Promise
    rule: Promise
    awarded_at: datetime


def user_badges(*, user) -> list[BadgeView]:
    """The user's badges, oldest first, with their names and rules in the reader's language (one query)."""
    return [
        BadgeView(badge=badge, name=badges[badge].name, rule=badges[badge].rule, awarded_at=awarded_at)
        for badge, awarded_at in BadgeAward.objects.filter(user=user).values_list("badge", "awarded_at")
        if badge in badges
    ]


def preference_of(*, user) -> EngagementPreference:
    return EngagementPreference.objects.filter(user=user).first() or EngagementPreference(user=user)


# --- contributor leaderboards ----------------------------------------------------------------------


@dataclass(frozen=True)
class ContributorRow:
    rank: int
    user_id: int
    name: str
    points: int


def period_since(period: str, now: datetime | None = None) -> datetime | None:
    span = PERIODS[period][1]
    return (now or timezone.now()) - span if span is not None else None


def _before_results() -> Q:
    """Entries of actions that count only after results (jury reviews) whose contest's results are not out."""
    held = [key for key, rule in points_actions.items() if rule.after_results]
    now = timezone.now()
    published = Q(contest__is_published=True) & (
        Q(contest__results_at__lte=now) | Q(contest__results_published_at__lte=now)
    )
    return Q(action__in=held) & Q(contest__isnull=False) & ~published


def contributor_leaderboard(*, contest_id: int | None, period: str, limit: int | None = None) -> list[ContributorRow]:
    """The top contributors of a contest (or the site) over the period, in one query.

    Ties share a rank (1, 1, 3); among equals the earlier account comes first.
    """
    limit = limit or settings.LEADERBOARD_SIZE
    if contest_id is not None and authors_hidden(Contest.objects.filter(pk=contest_id).first()):
        return []  # a blind review is on: the contest's board would tell who wrote in it
    entries = PointsEntry.objects.active_awards().filter(user__is_active=True)
    entries = entries.exclude(_before_results())
    entries = entries.exclude(user__engagement_preference__show_on_leaderboards=False)
    if contest_id is not None:
        entries = entries.filter(contest_id=contest_id)
    since = period_since(period)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    rows = (
        entries.values("user_id")
        .annotate(total=Sum("points"), display_name=F("user__display_name"))
        .order_by("-total", "user_id")
        .values_list("user_id", "display_name", "total")[:limit]
    )
    board: list[ContributorRow] = []
    previous, rank = None, 0
    for position, (user_id, display_name, total) in enumerate(rows, start=1):
        if total != previous:
            rank, previous = position, total
        name = public_name_for(display_name=display_name, user_id=user_id)
        board.append(ContributorRow(rank=rank, user_id=user_id, name=name, points=total))
    return board


def contributor_snapshot(*, contest, period: str) -> dict:
    """A new snapshot of the board with the next version (bumped and read in one transaction)."""
    contest_id = contest.pk if contest is not None else None
    with transaction.atomic():
        version = board_version_next(contributor_group(contest_id=contest_id, period=period))
        rows = contributor_leaderboard(contest_id=contest_id, period=period)
    return {
        "type": "contributors",
        "scope": contest.slug if contest is not None else SITE_SCOPE,
        "period": period,
        "version": version,
        "updated_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "entries": [
            {
                "rank": row.rank,
                "user_id": row.user_id,
                "name": row.name,
                "points": row.points,
                "url": reverse("accounts:profile", kwargs={"user_id": row.user_id}),
            }
            for row in rows
        ],
    }


def contributor_snapshot_cached(*, contest, period: str) -> dict:
    """The latest snapshot if taken within the last second, else a new one (then cached)."""
    group = contributor_group(contest_id=contest.pk if contest else None, period=period)
    return board_snapshot_cached(key=group, take=lambda: contributor_snapshot(contest=contest, period=period))


def contributor_snapshot_for(ident: str) -> dict | None:
    """The live board kind's reader (engagement.apps): a fresh snapshot of board "<contest id|site>.<period>"."""
    scope, _dot, period = ident.partition(".")
    if period not in PERIODS:
        return None
    contest = None
    if scope != SITE_SCOPE:
        contest = Contest.objects.filter(pk=int(scope)).first()
        if contest is None:
            return None
    return contributor_snapshot(contest=contest, period=period)
