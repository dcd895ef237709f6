"""Background work of the integrity monitor (timers in config/settings.py `CELERY_BEAT_SCHEDULE`)."""

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from contests.models import Contest
from integrity.services import ballot_facts_keep, ballots_facts_keep, contest_scan


@shared_task
def integrity_ballot_record(*, cast_at: str, **facts) -> None:
    """Keep one ballot's facts (voting.signals.ballot_cast, after commit); safe to run twice (one row per ballot)."""
    ballot_facts_keep(cast_at=parse_datetime(cast_at), **facts)


@shared_task
def integrity_ballots_record(*, ballots: list[dict], cast_at: str | None = None) -> None:
    """Keep the facts of group-committed ballots (voting.signals.ballots_cast); safe to run twice.

    Each ballot carries its "cast_at" (ISO); `cast_at` is the whole batch's, as tasks queued by
    an earlier release sent it.
    """
    facts = [{**ballot, "cast_at": parse_datetime(ballot.get("cast_at") or cast_at)} for ballot in ballots]
    ballots_facts_keep(ballots=facts)


@shared_task
def integrity_contest_scan(contest_id: int) -> int:
    """Scan one contest's ballots (scheduled by each ballot, coalesced to once a minute per contest)."""
    contest = Contest.objects.filter(pk=contest_id).first()
    return 0 if contest is None else contest_scan(contest=contest)


@shared_task
def integrity_scan_voting_contests() -> int:
    """Every five minutes: rescan contests whose voting is open or closed within the last day."""
    now = timezone.now()
    contests = Contest.objects.published().filter(
        integrity_monitoring=True, voting_opens_at__lte=now, voting_closes_at__gte=now - timezone.timedelta(days=1)
    )
    return sum(contest_scan(contest=contest) for contest in contests)
