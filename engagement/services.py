"""Writes for points and badges: awards, reversals, syncing with the content's state, badges.

Every award goes through `points_award`, which serialises one user's awards on
their user row, enforces the daily cap of the action (engagement.ledger_rules)
and relies on a unique constraint against a second active award for the same
(user, action, object). Content that changes state (submitted, answered, hidden,
restored, liked) is passed to `points_sync`, which asks the content's registered
point source (engagement.sources) who deserves which award for it now, compares
that with the active awards in the ledger and writes the difference: awards for
what is missing, reversing entries for what is no longer deserved.
Nothing in the ledger is ever updated or deleted.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Model
from django.utils import timezone

from accounts.models import User
from engagement.ledger_rules import CONTEST_VOTED, badges, points_actions
from engagement.models import BadgeAward, EngagementPreference, PointsEntry
from engagement.sources import PointSource, point_sources

logger = logging.getLogger(__name__)


def day_start(now: datetime | None = None) -> datetime:
    """Midnight of the current day in the site's time zone: daily caps count from here."""
    local = timezone.localtime(now or timezone.now())
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def _after_commit(*, contest_ids: set[int | None]) -> None:
    from engagement.live import contributor_boards_mark_dirty

    transaction.on_commit(partial(contributor_boards_mark_dirty, contest_ids=set(contest_ids)))


@transaction.atomic
def points_award(
    *,
    user_id: int,
    action: str,
    target: Model,
    contest_id: int | None,
    now: datetime | None = None,
    points: int | None = None,
) -> PointsEntry | None:
    """Award the action's points (or `points`, when the caller sets the amount) for `target`; None when not awarded.

    Not awarded when the user already holds an active award for this (action, target)
    or reached the action's daily cap. The user's row is locked, so two awards for
    one user never both pass the cap check.
    """
    rule = points_actions[action]
    amount = rule.points if points is None else points
    if amount <= 0:
        return None
    now = now or timezone.now()
    if User.objects.select_for_update().filter(pk=user_id, is_active=True).values_list("pk").first() is None:
        return None
    content_type = ContentType.objects.get_for_model(target)
    last = (
        PointsEntry.objects.awards()
        .filter(user_id=user_id, action=action, content_type=content_type, object_id=target.pk)
        .order_by("-sequence")
        .values_list("sequence", "reversed_by__pk")
        .first()
    )
    if last is not None and last[1] is None:
        return None  # already awarded and not reversed
    if rule.daily_cap is not None:
        today = PointsEntry.objects.awards().filter(user_id=user_id, action=action, created_at__gte=day_start(now))
        if today.count() >= rule.daily_cap:
            return None
    try:
        with transaction.atomic():
            entry = PointsEntry.objects.create(
                user_id=user_id,
                action=action,
                content_type=content_type,
                object_id=target.pk,
                contest_id=contest_id,
                points=amount,
                sequence=(last[0] + 1) if last else 1,
                created_at=now,
            )
    except IntegrityError:  # a parallel award for the same object won
        return None
    badges_evaluate(user_ids=[user_id])
    _after_commit(contest_ids={contest_id})
    return entry


@transaction.atomic
def points_reverse(*, award: PointsEntry, reason: str) -> PointsEntry | None:
    """Write the entry that cancels `award` (once; None if it was already reversed)."""
    try:
        with transaction.atomic():
            reversal = PointsEntry.objects.create(
                user_id=award.user_id,
                action=award.action,
                content_type_id=award.content_type_id,
                object_id=award.object_id,
                contest_id=award.contest_id,
                points=-award.points,
                sequence=award.sequence,
                reverses=award,
                reason=reason[:40],
            )
    except IntegrityError:
        return None
    _after_commit(contest_ids={award.contest_id})
    return reversal


# --- who deserves what for a piece of content, now -------------------------------------------


def _fresh(target: Model) -> tuple[Model | None, PointSource]:
    """The target re-read from the database, and its kind's point source."""
    source = point_sources.get(target)
    if source is None:
        raise ValueError(f"No points rules for {target._meta.label}")
    return source.fresh(target.pk), source


@transaction.atomic
def points_sync(*, target: Model, reason: str = "") -> list[PointsEntry]:
    """Make the ledger match what the target deserves now; return the entries written.

    Awards what is deserved and not yet held (within the daily caps); reverses active
    awards for the target that are no longer deserved (hidden or deleted content, a
    like taken back). Restored content is awarded again. Safe to call any number of times.
    """
    content_type = ContentType.objects.get_for_model(target)
    fresh, source = _fresh(target)
    deserved = source.deserved(fresh) if fresh is not None else {}
    actions = source.actions
    written: list[PointsEntry] = []
    active = PointsEntry.objects.active_awards().filter(content_type=content_type, object_id=target.pk)
    if actions:
        active = active.filter(action__in=actions)
    for award in active.select_for_update(of=("self",)):
        if (award.action, award.user_id) not in deserved:
            reversal = points_reverse(award=award, reason=reason or "no longer deserved")
            if reversal is not None:
                written.append(reversal)
    for (action, user_id), contest_id in deserved.items():
        entry = points_award(user_id=user_id, action=action, target=fresh, contest_id=contest_id)
        if entry is not None:
            written.append(entry)
    return written


def contest_voted(*, user_id: int, contest) -> PointsEntry | None:
    """Points for voting in a contest, once per contest (cheap when already awarded)."""
    content_type = ContentType.objects.get_for_model(contest)
    if (
        PointsEntry.objects.awards()
        .filter(user_id=user_id, action=CONTEST_VOTED.key, content_type=content_type, object_id=contest.pk)
        .exists()
    ):
        return None
    return points_award(user_id=user_id, action=CONTEST_VOTED.key, target=contest, contest_id=contest.pk)


# --- badges ---------------------------------------------------------------------------------------


def badges_evaluate(*, user_ids) -> list[BadgeAward]:
    """Award every badge whose rule the users now meet and they do not hold yet (each badge once)."""
    counts = {
        (row["user_id"], row["action"]): row["n"]
        for row in PointsEntry.objects.active_awards()
        .filter(user_id__in=list(user_ids))
        .values("user_id", "action")
        .annotate(n=Count("pk"))
        .order_by()
    }
    earned = [
        BadgeAward(user_id=user_id, badge=badge)
        for user_id in set(user_ids)
        for badge, rule in badges.items()
        if counts.get((user_id, rule.action), 0) >= rule.threshold
    ]
    if not earned:
        return []
    held = set(BadgeAward.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "badge"))
    new = [award for award in earned if (award.user_id, award.badge) not in held]
    if new:
        # The unique constraint settles a race with a parallel evaluation: the badge stays awarded once.
        BadgeAward.objects.bulk_create(new, ignore_conflicts=True)
    return new


# --- privacy ----------------------------------------------------------------------------------------


@transaction.atomic
def preference_set(*, user: User, show_on_leaderboards: bool) -> EngagementPreference:
    """Show or hide the user on public contributor leaderboards; live boards drop or add them at once."""
    preference, _created = EngagementPreference.objects.update_or_create(
        user=user, defaults={"show_on_leaderboards": show_on_leaderboards}
    )
    contest_ids = set(PointsEntry.objects.filter(user=user).values_list("contest_id", flat=True).distinct().order_by())
    from engagement.live import contributor_boards_forget

    transaction.on_commit(partial(contributor_boards_forget, contest_ids=contest_ids | {None}))
    return preference
