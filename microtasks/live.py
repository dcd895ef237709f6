"""The live task board (a live board kind, "tb"): open campaigns with their remaining slots.

One board, group "tb.open", for every open campaign. Any change of slots (a claim, a release,
an expiry, a rejection that frees a slot) marks it dirty on commit; the publisher (live/) coalesces
the pushes, so a burst of claims costs at most one snapshot per push interval.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from live.boards import board_group, board_snapshot_cached, board_version_next
from live.publisher import board_mark_dirty
from microtasks.models import Campaign, Claim

BOARD_PREFIX = "tb"
BOARD_IDENT = "open"
TASK_BOARD_GROUP = board_group(BOARD_PREFIX, BOARD_IDENT)


def open_campaigns(now=None):
    """Open campaigns with `slots_free`: slots not taken, counting overdue claims as free (lazy expiry on read)."""
    now = now or timezone.now()
    return (
        Campaign.objects.open(now)
        .select_related("agency")
        .annotate(overdue=Count("claims", filter=Q(claims__status=Claim.Status.ACTIVE, claims__expires_at__lte=now)))
        .order_by("ends_at", "pk")
    )


def _free(campaign) -> int:
    return max(0, campaign.slots - campaign.slots_taken + campaign.overdue)


def task_board_entries(now=None) -> list[dict]:
    return [
        {
            "campaign_id": campaign.pk,
            "title": campaign.title,
            "agency": campaign.agency.name,
            "kind": campaign.kind,
            "slots": campaign.slots,
            "slots_left": _free(campaign),
            "reward_points": campaign.reward_points,
            "ends_at": campaign.ends_at.isoformat().replace("+00:00", "Z"),
            "url": campaign.get_absolute_url(),
        }
        for campaign in open_campaigns(now)
    ]


def task_board_snapshot() -> dict:
    """A new snapshot with the next version (bumped and read in one transaction)."""
    with transaction.atomic():
        version = board_version_next(TASK_BOARD_GROUP)
        entries = task_board_entries()
    return {
        "type": "tasks",
        "version": version,
        "updated_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "entries": entries,
    }


def task_board_snapshot_cached() -> dict:
    return board_snapshot_cached(key=TASK_BOARD_GROUP, take=task_board_snapshot)


def task_board_snapshot_for(ident: str) -> dict | None:
    """The board kind's reader (microtasks.apps)."""
    return task_board_snapshot() if ident == BOARD_IDENT else None


def task_board_changed() -> None:
    """Push the task board once the current transaction commits."""
    transaction.on_commit(lambda: board_mark_dirty(group=TASK_BOARD_GROUP))
