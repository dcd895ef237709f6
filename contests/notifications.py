"""What contests tell people: phase changes to those who take part, new contests to agency followers.

Who takes part in a contest: its followers, plus whoever the higher apps register in
`contest_participants` (proposals adds the authors and co-authors of its public proposals).
Each (contest, event) is announced once by `phase_notifications_send`, which Celery beat
(or the `send_phase_notifications` command) runs every few minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from agencies.models import Agency
from common.registry import Registry
from contests.models import Contest, PhaseNotificationSent
from contests.phases import results_moment
from contests.records import contest_results_record
from notifications.kinds import NotificationKind
from notifications.services import notification_notify
from notifications.subscriptions import Followable, subscriber_ids, subscribers_of

# An app name -> function(contest) giving a values queryset of user ids who take part in the contest.
contest_participants: Registry[str, Callable[[Contest], QuerySet]] = Registry("contest participants")


def _render_contest_phase(data: dict) -> str:
    templates = {
        "submission_opens": _("Submission is open in “%(title)s”: send your proposal."),
        "submission_closes": _("Submission has closed in “%(title)s”."),
        "voting_opens": _("Voting is open in “%(title)s”."),
        "results_published": _("The results of “%(title)s” are published."),
    }
    template = templates.get(data.get("event", ""), _("“%(title)s” moved to a new phase."))
    return template % {"title": data.get("contest_title", "")}


def _render_contest_published(data: dict) -> str:
    return _("%(agency)s published a new contest: “%(title)s”.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("contest_title", ""),
    }


CONTEST_PHASE = NotificationKind(
    "contest_phase", gettext_lazy("A contest you follow or take part in changed phase"), _render_contest_phase
)
CONTEST_PUBLISHED = NotificationKind(
    "contest_published", gettext_lazy("New contest of an agency you follow"), _render_contest_published
)
KINDS = (CONTEST_PHASE, CONTEST_PUBLISHED)


def _contest_by_slug(key: str) -> Contest | None:
    return Contest.objects.select_related("agency").filter(slug=key).first()


def _contest_is_visible(user, contest: Contest) -> bool:
    return bool(contest.is_published)


def _agency_by_slug(key: str) -> Agency | None:
    return Agency.objects.filter(slug=key).first()


def _agency_is_visible(user, agency: Agency) -> bool:
    return True


def _slug_of(target) -> str:
    return target.slug


def _contests_with_agency():
    return Contest.objects.select_related("agency")


FOLLOWABLES = (
    Followable(
        model=Contest,
        segment="contests",
        label=gettext_lazy("Contest"),
        lookup=_contest_by_slug,
        is_visible=_contest_is_visible,
        url_key=_slug_of,
        queryset=_contests_with_agency,
    ),
    # Following an agency means hearing about the contests it publishes: contests owns that event.
    Followable(
        model=Agency,
        segment="agencies",
        label=gettext_lazy("Agency"),
        lookup=_agency_by_slug,
        is_visible=_agency_is_visible,
        url_key=_slug_of,
    ),
)


def contest_audience(*, contest: Contest) -> list[User]:
    """Who hears about a contest's phase changes: its followers and its registered participants."""
    audience = models.Q(pk__in=subscriber_ids(target=contest))
    for participants in contest_participants.values():
        audience |= models.Q(pk__in=participants(contest))
    return list(User.objects.filter(audience, is_active=True))


# An event older than this when the job first sees it is recorded without notifying anyone:
# a first run on an old database, or a schedule that stopped for days, must not flood inboxes.
DEFAULT_PHASE_NOTIFICATION_GRACE = timedelta(hours=48)


def contest_events(contest: Contest, *, now: datetime) -> list[tuple[str, datetime]]:
    """The contest's notified events that have happened by `now`, as (event, moment)."""
    if not contest.is_published:
        return []
    Event = PhaseNotificationSent.Event
    moments = [
        (Event.PUBLISHED, contest.published_at),
        (Event.SUBMISSION_OPENS, contest.submission_opens_at),
        (Event.SUBMISSION_CLOSES, contest.submission_closes_at),
        (Event.VOTING_OPENS, contest.voting_opens_at),
        (Event.RESULTS_PUBLISHED, results_moment(contest)),
    ]
    return [(str(event), moment) for event, moment in moments if moment is not None and moment <= now]


def _notify_event(*, contest: Contest, event: str) -> int:
    data = {"contest_id": contest.pk, "contest_title": contest.title, "agency_name": contest.agency.name}
    if event == PhaseNotificationSent.Event.PUBLISHED:
        recipients = subscribers_of(target=contest.agency)
        kind = CONTEST_PUBLISHED.key
    else:
        recipients = contest_audience(contest=contest)
        kind = CONTEST_PHASE.key
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
    now = now or timezone.now()
    grace = DEFAULT_PHASE_NOTIFICATION_GRACE if grace is None else grace
    events_total = len(PhaseNotificationSent.Event.values)
    # Contests with an event still unhandled: finished ones drop out once all their rows exist.
    contests = (
        Contest.objects.published()
        .annotate(sent_count=Count("phase_notifications_sent"))
        .filter(sent_count__lt=events_total)
        .select_related("agency")
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
                    if event == PhaseNotificationSent.Event.RESULTS_PUBLISHED and not contest.results_published_at:
                        # Results that came out by date (not early by a manager) are recorded here, once.
                        contest_results_record(contest=contest, trigger="scheduled")
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
