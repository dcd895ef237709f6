"""Websocket consumer of the live proposal leaderboard (contract in the README and docs/live-leaderboard.md)."""

from channels.db import database_sync_to_async

from contests.models import Contest
from contests.selectors import contest_visible_to
from live.consumers import LatestSnapshotConsumer
from voting.leaderboard import leaderboard_group, leaderboard_snapshot_cached


@database_sync_to_async
def _visible_contest(slug: str, user) -> Contest | None:
    return contest_visible_to(slug=slug, user=user)


class LeaderboardConsumer(LatestSnapshotConsumer):
    """The live proposal leaderboard of a contest."""

    async def get_board(self):
        return await _visible_contest(self.scope["url_route"]["kwargs"]["slug"], self.scope["user"])

    def board_group(self, board) -> str:
        return leaderboard_group(board.pk)

    def board_snapshot(self, board) -> dict:
        return leaderboard_snapshot_cached(contest=board)
