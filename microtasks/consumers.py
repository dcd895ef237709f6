"""Websocket of the live task board: the shared latest-snapshot consumer on the board "tb.open"."""

from live.consumers import LatestSnapshotConsumer
from microtasks.live import TASK_BOARD_GROUP, task_board_snapshot_cached


class TaskBoardConsumer(LatestSnapshotConsumer):
    async def get_board(self):
        return TASK_BOARD_GROUP  # public: anyone may watch the open campaigns

    def board_group(self, board) -> str:
        return board

    def board_snapshot(self, board) -> dict:
        return task_board_snapshot_cached()
