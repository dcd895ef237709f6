"""Following a contest, a proposal or an agency: permissions, writes, reads and who hears about what.

A `Follow` row points at exactly one target (a database constraint says so).
Followers are told about:

- a followed proposal: its official answers (`proposals.responses.proposal_respond`);
- a followed contest: its phase changes (`send_phase_notifications`), as are the
  authors and co-authors of its public proposals;
- a followed agency: each new contest it publishes (`send_phase_notifications`,
  event "published").

Following a proposal's or contest's *discussion* (new comments) is a separate
choice kept by `proposals.comments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import rules
from django.db import IntegrityError, models, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import Follow, Notification, PhaseNotificationSent, User
from accounts.notifications import notification_notify
from accounts.rules import is_verified
from agencies.models import Agency

TARGET_KINDS = ("contest", "proposal", "agency")


# --- targets ---------------------------------------------------------------------------------


def follow_target_kind(target: models.Model) -> str:
    """ "contest", "proposal" or "agency" for a target instance; ValueError for anything else."""
    from contests.models import Contest
    from proposals.models import Proposal

    if isinstance(target, Contest):
        return "contest"
    if isinstance(target, Proposal):
        return "proposal"
    if isinstance(target, Agency):
        return "agency"
    raise ValueError(f"Cannot follow a {type(target).__name__}")


def follow_target_get(*, kind: str, key: str) -> models.Model | None:
    """The followable target named in a URL (contest slug, proposal id, agency slug), or None."""
    from contests.models import Contest
    from proposals.models import Proposal

    if kind == "contest":
        return Contest.objects.select_related("agency").filter(slug=key).first()
    if kind == "proposal":
        if not str(key).isdigit():
            return None
        return Proposal.objects.select_related("contest__agency").filter(pk=int(key)).first()
    if kind == "agency":
        return Agency.objects.filter(slug=key).first()
    return None


@rules.predicate
def follow_target_is_public(user, target) -> bool:
    """Anyone may see the target: a published contest, a public proposal, any agency."""
    if target is None:
        return False
    kind = follow_target_kind(target)
    if kind == "agency":
        return True
    if kind == "contest":
        return bool(target.is_published)
    from proposals.rules import is_public_proposal

    return bool(is_public_proposal(user, target))


rules.add_perm("accounts.add_follow", is_verified & follow_target_is_public)


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, user: User, target: models.Model, follow: bool) -> bool:
    """Follow (or stop following) a contest, proposal or agency; returns whether the user now follows it.

    Caller has checked `accounts.add_follow` to follow (stopping is always allowed).
    Idempotent: following twice keeps one row (the unique constraint decides under races).
    """
    field = follow_target_kind(target)
    if not follow:
        Follow.objects.filter(user=user, **{field: target}).delete()
        return False
    if not Follow.objects.filter(user=user, **{field: target}).exists():
        try:
            with transaction.atomic():
                Follow.objects.create(user=user, **{field: target})
        except IntegrityError:
            pass  # a concurrent request created it first
    return True


# --- reads -----------------------------------------------------------------------------------


def follow_is_following(*, user, target: models.Model) -> bool:
    """Whether `user` follows `target` (one query; False for anonymous visitors, without a query)."""
    if not (user and user.is_authenticated):
        return False
    return Follow.objects.filter(user_id=user.pk, **{follow_target_kind(target): target}).exists()


@dataclass(frozen=True)
class FollowEntry:
    follow: Follow
    kind: str
    target: models.Model


def follow_list_for_user(*, user: User) -> list[FollowEntry]:
    """What the user follows, newest first, targets loaded (one query)."""
    rows = (
        Follow.objects.filter(user=user)
        .select_related("contest__agency", "proposal__contest", "agency")
        .order_by("-created_at", "-pk")
    )
    entries = []
    for follow in rows:
        for kind in TARGET_KINDS:
            target = getattr(follow, kind)
            if target is not None:
                entries.append(FollowEntry(follow=follow, kind=kind, target=target))
                break
    return entries


def follower_ids(*, target: models.Model) -> QuerySet:
    """A values queryset of the ids of the target's followers (for use in a subquery)."""
    return Follow.objects.filter(**{follow_target_kind(target): target}).values("user_id")


def followers_of(*, target: models.Model) -> list[User]:
    """Active users following `target`."""
    return list(User.objects.filter(pk__in=follower_ids(target=target), is_active=True))


def contest_audience(*, contest) -> list[User]:
    """Who hears about a contest's phase changes: its followers, and the authors and co-authors of its public proposals."""
    from proposals.models import Proposal, ProposalCoAuthor

    public = Proposal.objects.public().filter(contest=contest)
    return list(
        User.objects.filter(
            models.Q(pk__in=follower_ids(target=contest))
            | models.Q(pk__in=public.values("author_id"))
            | models.Q(pk__in=ProposalCoAuthor.objects.filter(proposal__in=public).values("user_id")),
            is_active=True,
        )
    )


# --- phase-change and new-contest notifications ----------------------------------------------

# An event older than this when the command first sees it is recorded without notifying anyone:
# a first run on an old database, or a schedule that stopped for days, must not flood inboxes.
DEFAULT_PHASE_NOTIFICATION_GRACE = timedelta(hours=48)


def contest_events(contest, *, now: datetime) -> list[tuple[str, datetime]]:
    """The contest's notified events that have happened by `now`, as (event, moment).

    Results count as published at `results_at`, or earlier when a manager published
    them early (jury review settings), the same rule as `jury.rules.results_are_published`.
    """
    from jury.models import ContestReviewSettings

    if not contest.is_published:
        return []
    Event = PhaseNotificationSent.Event
    results_at = contest.results_at
    try:
        early = contest.review_settings.results_published_at
    except ContestReviewSettings.DoesNotExist:
        early = None
    if early is not None and early < results_at:
        results_at = early
    moments = [
        (Event.PUBLISHED, contest.published_at),
        (Event.SUBMISSION_OPENS, contest.submission_opens_at),
        (Event.SUBMISSION_CLOSES, contest.submission_closes_at),
        (Event.VOTING_OPENS, contest.voting_opens_at),
        (Event.RESULTS_PUBLISHED, results_at),
    ]
    return [(str(event), moment) for event, moment in moments if moment is not None and moment <= now]


def _notify_event(*, contest, event: str) -> int:
    Event = PhaseNotificationSent.Event
    data = {"contest_id": contest.pk, "contest_title": contest.title, "agency_name": contest.agency.name}
    if event == Event.PUBLISHED:
        recipients = followers_of(target=contest.agency)
        kind = Notification.Kind.CONTEST_PUBLISHED
    else:
        recipients = contest_audience(contest=contest)
        kind = Notification.Kind.CONTEST_PHASE
        data["event"] = event
    return len(notification_notify(recipients=recipients, kind=kind, data=data, url=contest.get_absolute_url()))


@dataclass(frozen=True)
class PhaseNotificationRun:
    events_sent: int
    events_skipped_stale: int
    notifications: int


def phase_notifications_send(*, now: datetime | None = None, grace: timedelta | None = None) -> PhaseNotificationRun:
    """Notify once about every contest event that has happened and was not yet handled.

    Each (contest, event) is claimed by inserting a `PhaseNotificationSent` row in the
    same transaction as its notifications; the unique constraint makes a second run,
    or a concurrent one, skip it. Events older than `grace` are claimed silently.
    """
    from contests.models import Contest

    now = now or timezone.now()
    grace = DEFAULT_PHASE_NOTIFICATION_GRACE if grace is None else grace
    events_total = len(PhaseNotificationSent.Event.values)
    # Contests with an event still unhandled: finished ones drop out once all their rows exist.
    contests = (
        Contest.objects.published()
        .annotate(sent_count=Count("phase_notifications_sent"))
        .filter(sent_count__lt=events_total)
        .select_related("agency", "review_settings")
        .prefetch_related("phase_notifications_sent")
        .order_by("pk")
    )
    sent = skipped = notifications = 0
    for contest in contests:
        done = {row.phase for row in contest.phase_notifications_sent.all()}
        for event, moment in contest_events(contest, now=now):
            if event in done:
                continue
            stale = moment < now - grace
            try:
                with transaction.atomic():
                    claim = PhaseNotificationSent.objects.create(contest=contest, phase=event)
                    if not stale:
                        claim.recipient_count = _notify_event(contest=contest, event=event)
                        claim.save(update_fields=["recipient_count"])
            except IntegrityError:
                continue  # another run claimed it
            if stale:
                skipped += 1
            else:
                sent += 1
                notifications += claim.recipient_count
    return PhaseNotificationRun(events_sent=sent, events_skipped_stale=skipped, notifications=notifications)
