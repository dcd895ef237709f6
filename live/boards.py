"""Live boards: what a board kind is, its versions, and the short-lived snapshot cache readers share.

A board is a ranking that viewers watch live: a contest's proposal leaderboard (kind "lb",
voting/), contributor boards (kind "cb", engagement/). Each board is one channel-layer group
named "<kind>.<ident>" ("lb.12", "cb.site.week"); the group name is also its key in the
version table and the cache. A higher app registers its kind in `AppConfig.ready()`:

    board_kinds.register("lb", BoardKind(prefix="lb", take_snapshot=leaderboard_snapshot_for))

`take_snapshot(ident)` reads the board from the database and returns the message viewers get
(a dict with at least "type" and a "version" from `board_version_next`), or None when the
board no longer exists. The publisher (live.publisher) calls it in a worker thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F
from django.utils.translation import gettext as _

from common.registry import Registry
from live.models import BoardVersion

SNAPSHOT_CACHE_SECONDS = 1


@dataclass(frozen=True)
class BoardKind:
    prefix: str  # ASCII and short: it starts every group name of the kind
    take_snapshot: Callable[[str], dict | None]


board_kinds: Registry[str, BoardKind] = Registry("live board kinds")


def board_group(prefix: str, ident: str | int) -> str:
    return f"{prefix}.{ident}"


def board_version_next(key: str) -> int:
    """Bump the board's version and return it. Call inside the transaction that reads the board."""
    updated = BoardVersion.objects.filter(key=key).update(version=F("version") + 1)
    if not updated:
        BoardVersion.objects.get_or_create(key=key)
        BoardVersion.objects.filter(key=key).update(version=F("version") + 1)
    return BoardVersion.objects.values_list("version", flat=True).get(key=key)


def _cache_key(key: str) -> str:
    return f"live:snapshot:{key}"


def board_snapshot_cached(*, key: str, take: Callable[[], dict]) -> dict:
    """The board's latest snapshot if one was taken within the last second, else `take()` (then cached).

    Pages, the JSON endpoints and new websocket viewers read through here, so a crowd of
    readers costs one snapshot a second. With the cache (Redis) down they read the database.
    """
    try:
        snapshot = cache.get(_cache_key(key))
    except Exception:  # noqa: BLE001 - Redis down: serve from the database
        snapshot = None
    if snapshot is None:
        snapshot = take()
        board_cache_store(key=key, snapshot=snapshot)
    return snapshot


def board_cache_store(*, key: str, snapshot: dict) -> None:
    # A cache outage must not break voting or pages: the next reader computes a fresh snapshot.
    with contextlib.suppress(Exception):
        cache.set(_cache_key(key), snapshot, timeout=SNAPSHOT_CACHE_SECONDS)


def board_cache_forget(*, key: str) -> None:
    with contextlib.suppress(Exception):
        cache.delete(_cache_key(key))


def board_status_labels() -> dict[str, str]:
    """What live-board.js says about the connection, in the page's language (it cannot translate)."""
    return {
        "live": _("Live: the ranking updates by itself."),
        "reconnecting": _("Reconnecting…"),
        "polling": _("Live updates interrupted; refreshing every few seconds."),
        "ended": _("Live updates have stopped. Reload the page to see the latest ranking."),
    }
