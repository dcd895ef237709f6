"""Reads for points, badges and contributor leaderboards.

Totals are never stored: they are sums over the ledger ((user, created_at) and
(contest, created_at) indexes). A board counts a contributor's active awards
(not reversed) made within the period; users who opted out, and inactive
accounts, are left out of every public board (page, API and websocket).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import public_name_for
from engagement.ledger_rules import BADGE_RULES
from engagement.models import BadgeAward, ContributorBoardVersion, EngagementPreference, PointsEntry

PERIODS: dict[str, tuple[Promise, timedelta | None]] = {
    "week": (_("Last 7 days"), timedelta(days=7)),
    "month": (_("Last 30 days"), timedelta(days=30)),
    "all": (_("All time"), None),
}
DEFAULT_PERIOD = "week"
SITE_SCOPE = "site"
SNAPSHOT_CACHE_KEY = "contributors:snapshot:{key}"


def board_key(*, contest_id: int | None, period: str) -> str:
    """ "<contest id|site>.<period>": names the board's version row, cache entry and channel group."""
    return f"{contest_id if contest_id is not None else SITE_SCOPE}.{period}"


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
        BadgeView(badge=badge, name=BADGE_RULES[badge].name, rule=BADGE_RULES[badge].rule, awarded_at=awarded_at)
        for badge, awarded_at in BadgeAward.objects.filter(user=user).values_list("badge", "awarded_at")
        if badge in BADGE_RULES
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


def contributor_leaderboard(*, contest_id: int | None, period: str, limit: int | None = None) -> list[ContributorRow]:
    """The top contributors of a contest (or the site) over the period, in one query.

    Ties share a rank (1, 1, 3); among equals the earlier account comes first.
    """
    limit = limit or settings.LEADERBOARD_SIZE
    entries = PointsEntry.objects.active_awards().filter(user__is_active=True)
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


def _next_version(key: str) -> int:
    updated = ContributorBoardVersion.objects.filter(key=key).update(version=F("version") + 1)
    if not updated:
        ContributorBoardVersion.objects.get_or_create(key=key)
        ContributorBoardVersion.objects.filter(key=key).update(version=F("version") + 1)
    return ContributorBoardVersion.objects.values_list("version", flat=True).get(key=key)


def contributor_snapshot(*, contest, period: str) -> dict:
    """A new snapshot of the board with the next version (bumped and read in one transaction)."""
    contest_id = contest.pk if contest is not None else None
    key = board_key(contest_id=contest_id, period=period)
    with transaction.atomic():
        version = _next_version(key)
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
    key = SNAPSHOT_CACHE_KEY.format(key=board_key(contest_id=contest.pk if contest else None, period=period))
    try:
        snapshot = cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: read from the database
        snapshot = None
    if snapshot is None:
        snapshot = contributor_snapshot(contest=contest, period=period)
        contributor_cache_store(contest_id=contest.pk if contest else None, period=period, snapshot=snapshot)
    return snapshot


def contributor_cache_store(*, contest_id: int | None, period: str, snapshot: dict) -> None:
    with contextlib.suppress(Exception):
        cache.set(SNAPSHOT_CACHE_KEY.format(key=board_key(contest_id=contest_id, period=period)), snapshot, timeout=1)


def contributor_cache_forget(*, contest_id: int | None, period: str) -> None:
    with contextlib.suppress(Exception):
        cache.delete(SNAPSHOT_CACHE_KEY.format(key=board_key(contest_id=contest_id, period=period)))
