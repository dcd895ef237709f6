"""Websockets of the live map and the staff queues (board kind "rp", reports.live)."""

from channels.db import database_sync_to_async

from agencies.models import Agency
from live.boards import board_group, board_snapshot_cached
from live.consumers import LatestSnapshotConsumer
from reports.live import BOARD_PREFIX, MAP_IDENT, reports_snapshot_for


@database_sync_to_async
def _queue_board(slug: str, user) -> str | None:
    """The agency id of a queue the user may watch, or None (unknown agency or not its staff: refused alike)."""
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None or not user.has_perm("reports.view_report_queue", agency):
        return None
    return str(agency.pk)


class ReportBoardConsumer(LatestSnapshotConsumer):
    async def get_board(self):
        slug = self.scope["url_route"]["kwargs"].get("slug")
        if slug is None:
            return MAP_IDENT
        return await _queue_board(slug, self.scope["user"])

    def board_group(self, board) -> str:
        return board_group(BOARD_PREFIX, board)

    def board_snapshot(self, board) -> dict:
        key = board_group(BOARD_PREFIX, board)
        return board_snapshot_cached(key=key, take=lambda: reports_snapshot_for(board))
