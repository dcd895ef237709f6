"""The map and the staff queues on the live machinery (live/): board kind "rp", one group per view.

Groups: "rp.map" (the public map and list) and "rp.<agency id>" (that agency's staff queue; its
parent agencies' queues are pushed too). A snapshot is small — counts by status and the newest
change — and tells a page *that* something changed: the page then re-reads the reports in its
own view (its bounding box, its filters) over HTTP. Pushes coalesce like every live board.
"""

from functools import partial

from django.db import transaction
from django.db.models import Count, Max

from agencies.models import Agency
from agencies.selectors import agency_ancestor_ids, agency_descendant_ids
from live.boards import board_group, board_version_next
from live.publisher import board_mark_dirty
from reports.models import Report

BOARD_PREFIX = "rp"
MAP_IDENT = "map"


def _push(agency_ids: set[int]) -> None:
    board_mark_dirty(group=board_group(BOARD_PREFIX, MAP_IDENT))
    for agency_id in agency_ids:
        board_mark_dirty(group=board_group(BOARD_PREFIX, agency_id))


def reports_live_changed(*, agency_ids: set[int]) -> None:
    """After commit, push the map and the queues of these agencies and the agencies above them."""
    everyone = set(agency_ids)
    for agency in Agency.objects.filter(pk__in=agency_ids).only("pk", "parent_id"):
        everyone.update(agency_ancestor_ids(agency=agency))
    transaction.on_commit(partial(_push, everyone))


@transaction.atomic
def reports_snapshot_for(ident: str) -> dict | None:
    """The board kind's reader: counts by status of the map ("map") or of one agency's queue (its id)."""
    reports = Report.objects.public()
    if ident != MAP_IDENT:
        if not ident.isdigit() or not Agency.objects.filter(pk=int(ident)).exists():
            return None
        reports = reports.filter(agency_id__in=agency_descendant_ids(agency_ids={int(ident)}))
    counts = dict(reports.order_by().values_list("status").annotate(count=Count("pk")))
    latest = reports.aggregate(latest=Max("updated_at"))["latest"]
    return {
        "type": "reports",
        "board": ident,
        "version": board_version_next(board_group(BOARD_PREFIX, ident)),
        "counts": {status: counts.get(status, 0) for status in Report.Status.values},
        "updated_at": latest.isoformat() if latest else None,
    }
