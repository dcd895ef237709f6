"""Contributor boards on the live machinery (live/): which boards a points change marks for a push.

Boards are channel-layer groups "cb.<contest id|site>.<period>". A points entry for a
contest marks that contest's three boards and the site's three dirty; the publisher
coalesces the pushes exactly as it does for proposal leaderboards.
"""

from engagement.selectors import PERIODS, contributor_group
from live.boards import board_cache_forget
from live.publisher import board_mark_dirty


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
            board_cache_forget(key=contributor_group(contest_id=contest_id, period=period))
    contributor_boards_mark_dirty(contest_ids=contest_ids)
