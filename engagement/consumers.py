"""Websocket of the live contributor boards: the proposal leaderboard's consumer, another board."""

from channels.db import database_sync_to_async

from contests.selectors import contest_visible_to
from engagement.selectors import PERIODS, contributor_group, contributor_snapshot_cached
from live.consumers import LatestSnapshotConsumer


@database_sync_to_async
def _board(slug: str | None, period: str, user):
    """(contest or None for the site, period), or None when the contest is unknown or not visible."""
    if period not in PERIODS:
        return None
    if slug is None:
        return (None, period)
    contest = contest_visible_to(slug=slug, user=user)
    if contest is None:
        return None
    return (contest, period)


class ContributorBoardConsumer(LatestSnapshotConsumer):
    async def get_board(self):
        kwargs = self.scope["url_route"]["kwargs"]
        return await _board(kwargs.get("slug"), kwargs["period"], self.scope["user"])

    def board_group(self, board) -> str:
        contest, period = board
        return contributor_group(contest_id=contest.pk if contest else None, period=period)

    def board_snapshot(self, board) -> dict:
        contest, period = board
        return contributor_snapshot_cached(contest=contest, period=period)
