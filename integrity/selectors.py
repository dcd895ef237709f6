"""Reads of the integrity monitor: the managers' queue and the public report of a contest."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from integrity.models import QuarantinedBallot
from voting.exposure import exposure_rows, rank_rows
from voting.models import Vote

Status = QuarantinedBallot.Status

SIGNAL_LABELS = {
    "new_account": _("new account without earlier ballots"),
    "burst": _("burst of new accounts on one proposal"),
    "shared_network": _("many accounts from one network"),
    "shared_device": _("several accounts on one device"),
    "co_voting": _("identical ballots across accounts"),
    "author_network": _("from the author's own network"),
}


def review_queue(*, contest: Contest) -> QuerySet[QuarantinedBallot]:
    """Ballots under review, oldest first, with what a manager judges them by (one query)."""
    return (
        QuarantinedBallot.objects.filter(contest=contest, status=Status.PENDING)
        .select_related("proposal", "voter", "context")
        .order_by("created_at", "pk")
    )


def quarantined_ballot_for(*, contest: Contest, pk) -> QuarantinedBallot | None:
    try:
        return QuarantinedBallot.objects.filter(contest=contest, pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def _ranking(contest: Contest, extra=None) -> list[dict]:
    rows = exposure_rows(contest=contest, extra=extra)
    return [
        {"rank": entry.rank, "proposal_id": entry.proposal_id, "title": entry.title, "score": entry.score}
        for entry in rank_rows(contest=contest, rows=rows)
    ]


def integrity_report(*, contest: Contest) -> dict:
    """Ballots cast, held back, released and voided by reason; the ranking without and with the held ballots.

    "Without" is the public ranking (ballots in good standing only); "with" adds the
    ballots still under review back, as they were cast. Side by side for approval and
    up/down contests (the methods ranked from ballot counts).
    """
    held = list(
        QuarantinedBallot.objects.filter(contest=contest).values_list("status", "reasons", "proposal_id", "value")
    )
    by_status = Counter(status for status, _reasons, _proposal, _value in held)
    reasons = {status: Counter() for status in Status.values}
    for status, signals, _proposal, _value in held:
        reasons[status].update(signals)
    counted = Vote.objects.filter(contest=contest).count()
    report = {
        "contest": contest.slug,
        "monitoring": contest.integrity_monitoring,
        "ballots_cast": counted + by_status[Status.PENDING] + by_status[Status.VOIDED],
        "ballots_counted": counted,
        "quarantined": len(held),
        "under_review": by_status[Status.PENDING],
        "released": by_status[Status.RELEASED],
        "voided": by_status[Status.VOIDED],
        "signals": {
            status: [
                {"signal": name, "label": str(SIGNAL_LABELS[name]), "ballots": count}
                for name, count in sorted(counter.items())
            ]
            for status, counter in reasons.items()
        },
        "voided_reasons": Counter(
            QuarantinedBallot.objects.filter(contest=contest, status=Status.VOIDED).values_list(
                "decision_reason", flat=True
            )
        ).most_common(),
        "ranking": None,
        "ranking_with_held": None,
    }
    if contest.voting_method in (Contest.VotingMethod.APPROVAL, Contest.VotingMethod.UPDOWN):
        extra: dict[int, list[int]] = {}
        for status, _signals, proposal_id, value in held:
            if status == Status.PENDING:
                row = extra.setdefault(proposal_id, [0, 0, 0])
                row[0] += 1
                row[1] += value == 1
                row[2] += value == -1
        report["ranking"] = _ranking(contest)
        report["ranking_with_held"] = _ranking(contest, {pk: tuple(row) for pk, row in extra.items()})
    return report


def integrity_record_summary(contest: Contest) -> dict:
    """What the results-publication entry of the decision record keeps of the integrity report."""
    report = integrity_report(contest=contest)
    return {name: report[name] for name in ("ballots_cast", "ballots_counted", "under_review", "released", "voided")}
