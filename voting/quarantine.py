"""Hooks for the integrity monitor (integrity app, above voting): the request facts of a ballot, and
setting a ballot aside from the public tallies and back.

A ballot under review leaves the `Vote` table (so every tally, the leaderboard and the
results count only ballots in good standing) and is kept by the integrity app; an
approval support set aside stays used, so a quarantined account cannot spend it again.
Releasing puts the ballot back exactly as it was cast.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import F

from common.ratelimit import client_ip
from voting.models import ApprovalBudget, ProposalExposure, Vote
from voting.services import _tally_apply, leaderboard_push_on_commit
from voting.signals import ballot_cast


def ballot_device(user_agent: str, language: str) -> str:
    """The short client description the integrity monitor hashes: user agent and language, truncated."""
    return f"{user_agent[:300]}|{language[:60]}"


def ballot_cast_on_commit(*, vote: Vote, request) -> None:
    """Announce the ballot with its request's network and device once it commits (integrity records them)."""
    facts = {
        "vote_id": vote.pk,
        "voter_id": vote.voter_id,
        "proposal_id": vote.proposal_id,
        "contest_id": vote.contest_id,
        "value": vote.value,
        "network": client_ip(request),
        "device": ballot_device(request.META.get("HTTP_USER_AGENT", ""), request.META.get("HTTP_ACCEPT_LANGUAGE", "")),
    }
    transaction.on_commit(partial(ballot_cast.send_robust, sender=Vote, **facts))


@transaction.atomic
def ballot_set_aside(*, vote_id: int) -> Vote | None:
    """Take the ballot out of the tallies (the row is deleted; the caller keeps its facts). None if it is gone."""
    vote = Vote.objects.select_for_update().select_related("proposal", "contest").filter(pk=vote_id).first()
    if vote is None:
        return None
    vote.delete()
    _tally_apply(proposal=vote.proposal, contest=vote.contest, old=vote.value, new=None)
    # The voter leaves the exposure count with their ballot, so a set-aside support is not a "seen, not supported".
    ProposalExposure.objects.filter(proposal_id=vote.proposal_id, exposures__gt=0).update(exposures=F("exposures") - 1)
    leaderboard_push_on_commit(vote.contest_id)
    return vote


@transaction.atomic
def ballot_restore(*, voter_id: int, proposal_id: int, contest_id: int, value: int) -> Vote | None:
    """Put a released ballot back into the tallies; None if the voter has cast another ballot on it since."""
    vote, created = Vote.objects.get_or_create(
        voter_id=voter_id, proposal_id=proposal_id, defaults={"contest_id": contest_id, "value": value}
    )
    if not created:
        return None
    _tally_apply(proposal=vote.proposal, contest=vote.contest, old=None, new=value)
    ProposalExposure.objects.filter(proposal_id=proposal_id).update(exposures=F("exposures") + 1)
    leaderboard_push_on_commit(contest_id)
    return vote


def ballot_support_return(*, voter_id: int, contest_id: int) -> None:
    """A voided approval support is given back to the voter's budget."""
    ApprovalBudget.objects.filter(voter_id=voter_id, contest_id=contest_id, used__gt=0).update(used=F("used") - 1)
