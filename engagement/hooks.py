"""One-line hooks the other apps' services call when something that earns points happens.

Each schedules the points work for after the caller's transaction commits
(`transaction.on_commit`, robust): points follow only what was really stored,
and a failure here is logged without undoing the citizen's action.
"""

import logging

from django.db import transaction

from engagement.services import contest_voted, points_sync

logger = logging.getLogger(__name__)


def points_sync_on_commit(*, target, reason: str = "") -> None:
    """Re-evaluate the points earned through `target` (any registered point source) after commit."""
    model, pk = target._meta.concrete_model, target.pk

    # A plain function, not a partial: Django logs a robust callback's failure by its __qualname__.
    def sync_points() -> None:
        # An unsaved stand-in carrying the key: points_sync re-reads the object itself.
        points_sync(target=model(pk=pk), reason=reason)

    transaction.on_commit(sync_points, robust=True)


def contest_voted_on_commit(*, user, contest) -> None:
    """Points for voting in the contest (once per contest) after commit; the ballot's contest is reused, not re-read."""
    user_id = user.pk

    def award_vote_points() -> None:
        contest_voted(user_id=user_id, contest=contest)

    transaction.on_commit(award_vote_points, robust=True)
