"""Exposure counting and the exposure-aware public ranking (maths in voting.exposure_ranking).

An exposure is a signed-in viewer being shown a proposal while voting is open: on a list
page, in a pairwise pair or on the proposal's own page. The order of a list stays random
per visitor; what is counted is that the proposal was on the screen. A viewer counts
once per proposal per day (a key in the shared cache), so reloading a page does not bury
a proposal under its own views. Counting costs two cache round trips and at most two
statements (insert missing counters, increment them all) per page, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.cache import cache
from django.db.models import F

from contests.models import Contest
from contests.phases import voting_is_open
from proposals.models import Proposal
from voting import exposure_ranking, ranking
from voting.models import ProposalExposure

Method = Contest.VotingMethod
SEEN_SECONDS = 24 * 3600
EXPOSURE_METHODS = (Method.APPROVAL, Method.UPDOWN)


def ranks_by_exposure(contest: Contest) -> bool:
    """Whether the contest's public ranking is per exposure (approval/updown with the exposure setting)."""
    return contest.voting_method in EXPOSURE_METHODS and contest.public_ranking == Contest.PublicRanking.EXPOSURE


def exposures_record(*, viewer, contest: Contest, proposal_ids: Iterable[int]) -> int:
    """Count the proposals as shown to the viewer (once a day each); returns how many were counted.

    Only while voting is open and only for approval and updown (the methods ranked per
    exposure), only for signed-in viewers (who could vote). With the cache unavailable
    nothing is counted: the ranking then falls back on ballots as the floor of exposures.
    """
    if not (viewer and viewer.is_authenticated) or contest.voting_method not in EXPOSURE_METHODS:
        return 0
    if not voting_is_open(contest):
        return 0
    keys = {f"exposure:seen:{viewer.pk}:{pk}": pk for pk in dict.fromkeys(proposal_ids)}
    if not keys:
        return 0
    try:
        seen = cache.get_many(list(keys))
        fresh = [pk for key, pk in keys.items() if key not in seen]
        if fresh:
            cache.set_many({key: 1 for key, pk in keys.items() if pk in set(fresh)}, timeout=SEEN_SECONDS)
    except Exception:  # noqa: BLE001 - a page view never fails for a counter
        return 0
    if not fresh:
        return 0
    ProposalExposure.objects.bulk_create(
        [ProposalExposure(proposal_id=pk, contest_id=contest.pk) for pk in fresh], ignore_conflicts=True
    )
    ProposalExposure.objects.filter(proposal_id__in=fresh).update(exposures=F("exposures") + 1)
    return len(fresh)


def exposure_rows(
    *, contest: Contest, extra: Mapping[int, tuple[int, int, int]] | None = None
) -> list[exposure_ranking.ExposureRow]:
    """Every public proposal of the contest with its ballots and exposures, in one query.

    `extra` adds ballots not in the tallies, {proposal_id: (ballots, positive, negative)}
    (the integrity report ranks with the ballots under review added back).
    """
    extra = extra or {}
    updown = contest.voting_method == Method.UPDOWN
    rows = []
    values = (
        Proposal.objects.public()
        .filter(contest=contest)
        .values_list("pk", "title", "submitted_at", "tally__ballots", "tally__positive", "tally__negative")
    )
    exposures = dict(ProposalExposure.objects.filter(contest=contest).values_list("proposal_id", "exposures"))
    for pk, title, submitted_at, ballots, positive, negative in values:
        more = extra.get(pk, (0, 0, 0))
        up = (positive or 0) + more[1] if updown else (ballots or 0) + more[0]
        down = (negative or 0) + more[2] if updown else 0
        # Ballots added back bring their voters' exposures with them (voting.quarantine takes both out).
        seen = exposures.get(pk, 0) + more[0]
        rows.append(
            exposure_ranking.ExposureRow(
                proposal_id=pk, title=title, submitted_at=submitted_at, exposures=seen, up=up, down=down
            )
        )
    return rows


def rank_rows(*, contest: Contest, rows: list[exposure_ranking.ExposureRow]) -> list[ranking.RankedEntry]:
    """The contest's public formula over these rows: per exposure, or plain counts (ranking.rank_entries)."""
    if ranks_by_exposure(contest):
        return exposure_ranking.rank_by_exposure(rows, contest.voting_method)
    plain = [
        ranking.TallyRow(
            proposal_id=row.proposal_id,
            title=row.title,
            submitted_at=row.submitted_at,
            up=row.up,
            down=row.down,
            supports=row.up,
        )
        for row in rows
    ]
    return ranking.rank_entries(plain, contest.voting_method)


def exposure_leaderboard_entries(*, contest: Contest, limit: int) -> list[ranking.RankedEntry]:
    """The top `limit` by support per exposure; reads every public proposal's counters (two queries)."""
    return rank_rows(contest=contest, rows=exposure_rows(contest=contest))[:limit]
