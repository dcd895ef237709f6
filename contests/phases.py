"""The contest lifecycle. A contest's phase is derived from its dates here, and only here.

draft → upcoming → submission → voting → review → results → closed

The phase is the last milestone that has passed. Results count as published at
`results_at`, or earlier from the moment a manager publishes them
(`results_published_at`): `results_are_published` is the one rule, and the phase,
the list filters and every page follow it. Between milestones the contest
stays in the earlier phase: after submission closes and before voting opens it
is still in `submission` (closed for new proposals). Actions never look at the
phase name: they ask whether their window is open (`submission_is_open`,
`voting_is_open`), so submission and voting may overlap when a contest allows it.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    SUBMISSION = "submission", _("Submission")
    VOTING = "voting", _("Voting")
    REVIEW = "review", _("Review")
    RESULTS = "results", _("Results")
    CLOSED = "closed", _("Closed")


def results_moment(contest) -> datetime:
    """When the results are (or will be) public: `results_at`, or the earlier moment a manager published them."""
    early = getattr(contest, "results_published_at", None)
    return min(contest.results_at, early) if early is not None else contest.results_at


def results_are_published(contest, now: datetime | None = None) -> bool:
    """The results are public: the contest is published and its results moment has passed."""
    now = now or timezone.now()
    return bool(contest.is_published) and now >= results_moment(contest)


def contest_phase(contest, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not contest.is_published:
        return Phase.DRAFT
    milestones = [
        (contest.closes_at, Phase.CLOSED),
        (results_moment(contest), Phase.RESULTS),
        (contest.voting_closes_at, Phase.REVIEW),
        (contest.voting_opens_at, Phase.VOTING),
        (contest.submission_opens_at, Phase.SUBMISSION),
    ]
    for starts_at, phase in milestones:
        if starts_at is not None and now >= starts_at:
            return phase
    return Phase.UPCOMING


def submission_is_open(contest, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return contest.is_published and contest.submission_opens_at <= now < contest.submission_closes_at


def voting_is_open(contest, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return contest.is_published and contest.voting_opens_at <= now < contest.voting_closes_at


def phase_filter(phase: str, now: datetime | None = None) -> models.Q:
    """A Q object selecting the contests in `phase` at `now`, mirroring contest_phase() in SQL."""
    now = now or timezone.now()
    published = models.Q(is_published=True)
    closed = models.Q(closes_at__isnull=False, closes_at__lte=now)
    not_closed = ~closed
    results_out = models.Q(results_at__lte=now) | models.Q(
        results_published_at__isnull=False, results_published_at__lte=now
    )
    filters = {
        Phase.DRAFT: models.Q(is_published=False),
        Phase.UPCOMING: published & models.Q(submission_opens_at__gt=now),
        Phase.SUBMISSION: published & models.Q(submission_opens_at__lte=now, voting_opens_at__gt=now),
        Phase.VOTING: published & models.Q(voting_opens_at__lte=now, voting_closes_at__gt=now),
        Phase.REVIEW: published & models.Q(voting_closes_at__lte=now) & ~results_out,
        Phase.RESULTS: published & results_out & not_closed,
        Phase.CLOSED: published & closed,
    }
    return filters[Phase(phase)]


# Dates in lifecycle order: (field, label of the moment). The timeline and the
# countdown read from here, so adding a milestone needs only this list.
MILESTONES = (
    ("submission_opens_at", _("Submission opens")),
    ("submission_closes_at", _("Submission closes")),
    ("voting_opens_at", _("Voting opens")),
    ("voting_closes_at", _("Voting closes")),
    ("review_closes_at", _("Review closes")),
    ("results_at", _("Results published")),
    ("closes_at", _("Contest closes")),
)
DATE_FIELDS = tuple(field for field, _label in MILESTONES)


def contest_timeline(contest, now: datetime | None = None) -> list[dict]:
    """The public phases with their dates, the current one marked, for the phase timeline.

    Uses contest_phase() for "current", so the timeline can never disagree with it.
    """
    now = now or timezone.now()
    current = contest_phase(contest, now)
    steps = [
        (Phase.UPCOMING, None, contest.submission_opens_at),
        (Phase.SUBMISSION, contest.submission_opens_at, contest.submission_closes_at),
        (Phase.VOTING, contest.voting_opens_at, contest.voting_closes_at),
        (Phase.REVIEW, contest.voting_closes_at, contest.review_closes_at),
        (Phase.RESULTS, results_moment(contest), contest.closes_at),
    ]
    if contest.closes_at is not None:
        steps.append((Phase.CLOSED, contest.closes_at, None))
    order = [phase for phase, _starts, _ends in steps]
    current_index = order.index(current) if current in order else -1
    return [
        {
            "phase": phase,
            "label": phase.label,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "is_current": index == current_index,
            "is_past": index < current_index,
        }
        for index, (phase, starts_at, ends_at) in enumerate(steps)
    ]


def next_deadline(contest, now: datetime | None = None) -> tuple[str, datetime] | None:
    """(label, moment) of the next date still ahead, or None when every date has passed."""
    now = now or timezone.now()
    upcoming = [
        (getattr(contest, field), label)
        for field, label in MILESTONES
        if getattr(contest, field) is not None and getattr(contest, field) > now
    ]
    if not upcoming:
        return None
    moment, label = min(upcoming, key=lambda item: item[0])
    return label, moment
