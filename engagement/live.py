"""Contributor boards on the live leaderboard machinery (voting.broadcast).

Boards are channel-layer groups "cb.<contest id|site>.<period>". A points entry
for a contest marks that contest's three boards and the site's three dirty;
the publisher coalesces the pushes exactly as it does for proposal leaderboards.
"""

from django.db import close_old_connections

from engagement.selectors import PERIODS, SITE_SCOPE, board_key, contributor_cache_forget, contributor_cache_store
from voting.broadcast import board_mark_dirty, register_board_kind

KIND = "cb"


def contributor_group(*, contest_id: int | None, period: str) -> str:
    return f"{KIND}.{board_key(contest_id=contest_id, period=period)}"


def _take_snapshot(ident: str) -> dict | None:
    """Runs in a worker thread: read the board from the database and cache it for HTTP readers."""
    from contests.models import Contest
    from engagement.selectors import contributor_snapshot

    scope, _dot, period = ident.partition(".")
    if period not in PERIODS:
        return None
    close_old_connections()
    try:
        contest = None
        if scope != SITE_SCOPE:
            contest = Contest.objects.filter(pk=int(scope)).first()
            if contest is None:
                return None
        snapshot = contributor_snapshot(contest=contest, period=period)
        contributor_cache_store(contest_id=contest.pk if contest else None, period=period, snapshot=snapshot)
        return snapshot
    finally:
        close_old_connections()


register_board_kind(KIND, _take_snapshot)


def contributor_boards_mark_dirty(*, contest_ids) -> None:
    """Push the boards these contests' points appear on (and the site's). Call on commit."""
    scopes = {contest_id for contest_id in contest_ids if contest_id is not None} | {None}
    for contest_id in scopes:
        for period in PERIODS:
            board_mark_dirty(group=contributor_group(contest_id=contest_id, period=period))


def contributor_boards_forget(*, contest_ids) -> None:
    """Drop cached snapshots and push fresh ones, e.g. after someone opts out of public boards."""
    for contest_id in contest_ids:
        for period in PERIODS:
            contributor_cache_forget(contest_id=contest_id, period=period)
    contributor_boards_mark_dirty(contest_ids=contest_ids)
