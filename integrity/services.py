"""Integrity writes: recording a ballot's facts, scanning a contest, and a manager's release or void.

Scanning is background work (integrity.tasks): each ballot schedules a scan of its contest
after commit, and a timer rescans contests in voting, because a burst or a co-voting group
shows only once its later ballots arrive. A scan is safe to run twice.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.background import TaskBatcher, task_on_commit
from contests.models import Contest
from integrity import detection
from integrity.models import BallotContext, QuarantinedBallot
from proposals.models import Proposal
from record.services import contest_scope, record_append
from voting.models import Vote
from voting.quarantine import ballot_restore, ballot_set_aside, ballot_support_return

Status = QuarantinedBallot.Status
SCAN_COALESCE_SECONDS = 60


def _keyed_hash(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def network_prefix(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) an address belongs to; the text itself if it is not an address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64]
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def ballot_context_record(
    *,
    vote_id: int,
    voter_id: int,
    proposal_id: int,
    contest_id: int,
    value: int,
    network: str,
    device: str,
    cast_at: datetime | None = None,
) -> BallotContext | None:
    """Keep a ballot's facts (hashed network prefix and device, account age, earlier ballots); once per ballot."""
    voter = User.objects.filter(pk=voter_id).only("date_joined").first()
    if voter is None:
        return None
    cast_at = cast_at or timezone.now()
    prefix = network_prefix(network)
    try:
        with transaction.atomic():
            context, _created = BallotContext.objects.update_or_create(
                vote_id=vote_id,
                defaults={
                    "voter_id": voter_id,
                    "proposal_id": proposal_id,
                    "contest_id": contest_id,
                    "value": value,
                    "network": _keyed_hash(f"net:{prefix}"),
                    "device": _keyed_hash(f"dev:{prefix}|{device}"),
                    "account_age_days": max(0.0, (cast_at - voter.date_joined).total_seconds() / 86400),
                    "prior_ballots": Vote.objects.filter(voter_id=voter_id, created_at__lt=cast_at)
                    .exclude(pk=vote_id)
                    .count(),
                    "cast_at": cast_at,
                },
            )
    except IntegrityError:  # the proposal or voter went away meanwhile
        return None
    return context


def _facts(context: BallotContext) -> detection.BallotFacts:
    return detection.BallotFacts(
        context_id=context.pk,
        voter_id=context.voter_id,
        proposal_id=context.proposal_id,
        value=context.value,
        network=context.network,
        device=context.device,
        account_age_days=context.account_age_days,
        prior_ballots=context.prior_ballots,
        cast_at=context.cast_at,
    )


def contest_scan(*, contest: Contest) -> int:
    """Compute every ballot's signals and hold back the suspicious ones not yet decided; returns how many were."""
    if not contest.integrity_monitoring:
        return 0
    live_votes = set(Vote.objects.filter(contest=contest).values_list("pk", flat=True))
    contexts = list(BallotContext.objects.filter(contest=contest))
    # Ballots still counted, plus those under review (their voter's pattern still counts).
    held = set(QuarantinedBallot.objects.filter(contest=contest).values_list("context_id", flat=True))
    current = [context for context in contexts if context.vote_id in live_votes or context.pk in held]
    authors = dict(Proposal.objects.filter(contest=contest).values_list("pk", "author_id"))
    networks_of: dict[int, set[str]] = {}
    for voter_id, network in BallotContext.objects.filter(voter_id__in=set(authors.values())).values_list(
        "voter_id", "network"
    ):
        networks_of.setdefault(voter_id, set()).add(network)
    author_networks = {pk: networks_of.get(author, set()) for pk, author in authors.items()}
    signals = detection.ballot_signals((_facts(c) for c in current), author_networks=author_networks)
    quarantined = 0
    for context in current:
        found = signals[context.pk]
        if context.cleared or context.pk in held or context.vote_id not in live_votes:
            continue
        if detection.is_suspicious(found):
            try:
                quarantined += _quarantine(context=context, reasons=found)
            except IntegrityError:  # a concurrent scan held it back first; its transaction undid ours
                continue
    return quarantined


@transaction.atomic
def _quarantine(*, context: BallotContext, reasons: list[str]) -> int:
    vote = ballot_set_aside(vote_id=context.vote_id)
    if vote is None:
        return 0
    QuarantinedBallot.objects.create(
        context=context,
        contest_id=context.contest_id,
        proposal_id=context.proposal_id,
        voter_id=context.voter_id,
        value=vote.value,
        reasons=reasons,
    )
    return 1


def _decision_check(ballot: QuarantinedBallot, reason: str) -> str:
    if ballot.status != Status.PENDING:
        raise ValidationError(_("This ballot has already been decided."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for your decision; it is published in the report.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    return reason


def _decide(*, ballot: QuarantinedBallot, manager: User, status: str, reason: str) -> QuarantinedBallot:
    ballot.status = status
    ballot.decided_by = manager
    ballot.decided_at = timezone.now()
    ballot.decision_reason = reason
    ballot.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record_append(
        kind=f"integrity.ballot_{status}",
        target=ballot,
        object_type="quarantined_ballot",
        scope=contest_scope(ballot.contest_id),
        actor=manager,
        payload={"proposal": ballot.proposal_id, "signals": ballot.reasons, "reason": reason},
    )
    return ballot


@transaction.atomic
def ballot_release(*, ballot: QuarantinedBallot, manager: User, reason: str) -> QuarantinedBallot:
    """The ballot counts again, as cast; the monitor will not hold it back again. Recorded with the reason."""
    ballot = QuarantinedBallot.objects.select_for_update().select_related("context").get(pk=ballot.pk)
    reason = _decision_check(ballot, reason)
    restored = ballot_restore(
        voter_id=ballot.voter_id, proposal_id=ballot.proposal_id, contest_id=ballot.contest_id, value=ballot.value
    )
    context = ballot.context
    context.cleared = True
    if restored is not None:
        context.vote_id = restored.pk
    context.save(update_fields=["cleared", "vote_id"])
    return _decide(ballot=ballot, manager=manager, status=Status.RELEASED, reason=reason)


@transaction.atomic
def ballot_void(*, ballot: QuarantinedBallot, manager: User, reason: str) -> QuarantinedBallot:
    """The ballot never counts; an approval support is given back. Recorded with the reason."""
    ballot = QuarantinedBallot.objects.select_for_update().select_related("contest").get(pk=ballot.pk)
    reason = _decision_check(ballot, reason)
    if ballot.contest.voting_method == Contest.VotingMethod.APPROVAL:
        ballot_support_return(voter_id=ballot.voter_id, contest_id=ballot.contest_id)
    return _decide(ballot=ballot, manager=manager, status=Status.VOIDED, reason=reason)


def ballot_cast_received(*, vote_id, voter_id, proposal_id, contest_id, value, network, device, **kwargs) -> None:
    """Receiver of voting.signals.ballot_cast (integrity.apps): hand the facts to a worker, off the vote's path."""
    from integrity.tasks import integrity_ballot_record

    facts = {
        "vote_id": vote_id,
        "voter_id": voter_id,
        "proposal_id": proposal_id,
        "contest_id": contest_id,
        "value": value,
        "network": network,
        "device": device,
        "cast_at": timezone.now().isoformat(),
    }
    task_on_commit(integrity_ballot_record, **facts)


# Group-commit batches' facts, published as one task every 100 ms per web process: a publish costs
# about a millisecond of the process's CPU, and a busy process commits dozens of batches a second.
ballot_facts_batcher = TaskBatcher("integrity.tasks.integrity_ballots_record", argument="ballots", window=0.1)


def ballots_cast_received(*, ballots: list[dict], **kwargs) -> None:
    """Receiver of voting.signals.ballots_cast (after the batch's commit): its facts, each with its time, to a worker."""
    cast_at = timezone.now().isoformat()
    ballot_facts_batcher.add([{**facts, "cast_at": cast_at} for facts in ballots])


def ballots_facts_keep(*, ballots: list[dict], cast_at: datetime | None = None) -> None:
    """Keep the facts of each ballot whose contest is monitored (read once for the batch), and scan those contests soon.

    A ballot's own "cast_at" (a datetime) wins over the batch's.
    """
    contest_ids = {facts["contest_id"] for facts in ballots}
    monitored = set(Contest.objects.filter(pk__in=contest_ids, integrity_monitoring=True).values_list("pk", flat=True))
    for facts in ballots:
        if facts["contest_id"] in monitored:
            ballot_context_record(**{"cast_at": cast_at, **facts})
    for contest_id in monitored:
        _scan_soon(contest_id)


def ballot_facts_keep(*, contest_id: int, cast_at: datetime | None = None, **facts) -> None:
    """Keep a ballot's facts if its contest is monitored, and scan the contest soon (at most once a minute)."""
    ballots_facts_keep(ballots=[{"contest_id": contest_id, **facts}], cast_at=cast_at)


def _scan_soon(contest_id: int) -> None:
    """Schedule a scan of the contest, at most one per SCAN_COALESCE_SECONDS."""
    if cache.add(f"integrity:scan-queued:{contest_id}", 1, timeout=SCAN_COALESCE_SECONDS):
        from integrity.tasks import integrity_contest_scan

        task_on_commit(integrity_contest_scan, contest_id)
