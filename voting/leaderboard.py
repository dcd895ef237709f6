"""The proposal leaderboard: ranked from the tallies, snapshotted for pages, the API and live viewers.

The leaderboard is built from the tallies, never by counting ballots, so a push
costs the same whatever the number of votes. For updown and approval the top N
comes straight from the (contest, score) index; stars ranks by a Bayesian
average whose prior moves with every vote, and pairwise refits Bradley–Terry, so
those two read every tally of the contest (see docs/live-leaderboard.md). The
board is live kind "lb" (group "lb.<contest id>"), registered in voting.apps.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, FloatField, Max, Q, Sum, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest
from live.boards import board_group, board_snapshot_cached, board_version_next
from proposals.models import Proposal
from voting import ranking
from voting.exposure import exposure_leaderboard_entries, ranks_by_exposure
from voting.models import ContestTallyShard, PairwiseComparison, ProposalTally

logger = logging.getLogger(__name__)
Method = Contest.VotingMethod
BOARD_PREFIX = "lb"
STRENGTHS_CACHE_KEY = "leaderboard:strengths:{contest_id}"


def leaderboard_group(contest_id: int) -> str:
    return board_group(BOARD_PREFIX, contest_id)


@dataclass(frozen=True)
class LeaderboardRow:
    proposal_id: int
    title: str
    submitted_at: datetime | None
    up: int = 0
    down: int = 0
    ballots: int = 0
    value_sum: int = 0
    comparisons: int = 0
    wins: int = 0


def _public_tallies(contest: Contest):
    public = Proposal.objects.public().filter(contest=contest)
    return ProposalTally.objects.filter(contest=contest, proposal__in=public)


def contest_totals(*, contest: Contest) -> tuple[int, int]:
    """(ballots, sum of values) over the contest, from its tally shards."""
    totals = ContestTallyShard.objects.filter(contest=contest).aggregate(
        ballots=Sum("ballots"), value_sum=Sum("value_sum")
    )
    return totals["ballots"] or 0, totals["value_sum"] or 0


def _rows_from_tallies(tallies) -> list[LeaderboardRow]:
    return [
        LeaderboardRow(
            proposal_id=proposal_id,
            title=title,
            submitted_at=submitted_at,
            up=positive,
            down=negative,
            ballots=ballots,
            value_sum=value_sum,
            comparisons=comparisons,
            wins=wins,
        )
        for proposal_id, title, submitted_at, positive, negative, ballots, value_sum, comparisons, wins in tallies.values_list(
            "proposal_id",
            "proposal__title",
            "proposal__submitted_at",
            "positive",
            "negative",
            "ballots",
            "value_sum",
            "comparisons",
            "wins",
        )
    ]


def _unvoted_rows(contest: Contest, limit: int) -> list[LeaderboardRow]:
    """Public proposals without any ballot yet, earliest first: they rank as a proposal with no votes."""
    unvoted = (
        Proposal.objects.public()
        .filter(contest=contest)
        .filter(Q(tally__isnull=True) | Q(tally__ballots=0, tally__comparisons=0))
        .order_by("submitted_at", "pk")
        .values_list("pk", "title", "submitted_at")[:limit]
    )
    return [
        LeaderboardRow(proposal_id=pk, title=title, submitted_at=submitted_at) for pk, title, submitted_at in unvoted
    ]


def _to_ranking_rows(rows, *, pairwise_scores: dict[int, float] | None = None) -> list[ranking.TallyRow]:
    pairwise_scores = pairwise_scores or {}
    return [
        ranking.TallyRow(
            proposal_id=row.proposal_id,
            title=row.title,
            submitted_at=row.submitted_at,
            up=row.up,
            down=row.down,
            supports=row.ballots,
            star_sum=row.value_sum,
            star_count=row.ballots,
            comparisons=row.comparisons,
            pairwise_score=pairwise_scores.get(row.proposal_id, ranking.PAIRWISE_NEUTRAL_SCORE),
        )
        for row in rows
    ]


def leaderboard_entries(
    *, contest: Contest, limit: int, totals: tuple[int, int] | None = None
) -> list[ranking.RankedEntry]:
    """The top `limit` public proposals of the contest, ranked by its voting method.

    `totals` is contest_totals() when the caller has it already (the stars prior is read from it).
    """
    method = contest.voting_method
    if ranks_by_exposure(contest):
        return exposure_leaderboard_entries(contest=contest, limit=limit)
    tallies = _public_tallies(contest).select_related(None)
    if method in (Method.UPDOWN, Method.APPROVAL):
        top = tallies.filter(ballots__gt=0).order_by(
            "-score", F("negative") - F("positive"), "proposal__submitted_at", "proposal_id"
        )[:limit]
        rows = _rows_from_tallies(top)
        # Proposals without votes rank below every proposal with a positive score; fetch them only if they can show.
        if len(rows) < limit or min(_score_of(row, method) for row in rows) <= 0:
            rows += _unvoted_rows(contest, limit)
        return ranking.rank_entries(_to_ranking_rows(rows), method)[:limit]
    if method == Method.STARS:
        ballots, value_sum = totals if totals is not None else contest_totals(contest=contest)
        prior = ranking.contest_mean(value_sum, ballots)
        weight = contest.stars_prior_weight or ranking.STARS_PRIOR_WEIGHT
        average = (Cast(F("value_sum"), FloatField()) + Value(prior * weight)) / (
            Cast(F("ballots"), FloatField()) + Value(float(weight))
        )
        top = (
            tallies.filter(ballots__gt=0)
            .annotate(average=average)
            .order_by("-average", "-ballots", "proposal__submitted_at", "proposal_id")[:limit]
        )
        rows = _rows_from_tallies(top)
        # A proposal without votes averages exactly the prior: fetch those only if they can show.
        lowest = min((ranking.bayesian_average(row.value_sum, row.ballots, prior, weight) for row in rows), default=0)
        if len(rows) < limit or lowest <= prior:
            rows += _unvoted_rows(contest, limit)
        return _rank_stars(rows, prior=prior, weight=weight)[:limit]
    # Pairwise: Bradley–Terry strengths (refitted as pairwise_fit says), then score every public proposal.
    strengths = pairwise_strengths(contest=contest)
    rows = _rows_from_tallies(tallies.filter(comparisons__gt=0))
    compared = {row.proposal_id for row in rows}
    public_count = Proposal.objects.public().filter(contest=contest).count()
    rows += [row for row in _unvoted_rows(contest, public_count) if row.proposal_id not in compared]
    chances = ranking.chance_to_win(strengths, [row.proposal_id for row in rows])
    return ranking.rank_entries(_to_ranking_rows(rows, pairwise_scores=chances), method)[:limit]


def _score_of(row: LeaderboardRow, method: str) -> float:
    return ranking.wilson_lower_bound(row.up, row.down) if method == Method.UPDOWN else row.ballots


def _rank_stars(rows: list[LeaderboardRow], *, prior: float, weight: int) -> list[ranking.RankedEntry]:
    """Stars ranking with the prior taken from the whole contest, not from the rows at hand."""
    keyed = []
    for row in rows:
        average = ranking.bayesian_average(row.value_sum, row.ballots, prior, weight)
        keyed.append(
            (
                (-round(average, 9), -row.ballots),
                (row.submitted_at is None, row.submitted_at, row.proposal_id),
                average,
                row,
            )
        )
    keyed.sort(key=lambda item: (item[0], item[1][0], item[1][1] or timezone.now(), item[1][2]))
    entries, rank, previous = [], 0, None
    for merit, _earliest, average, row in keyed:
        if merit != previous:
            rank, previous = rank + 1, merit
        entries.append(ranking.RankedEntry(rank, row.proposal_id, row.title, round(average, 2), row.ballots))
    return entries


#: Below this many judgements every push refits Bradley–Terry (a few milliseconds); above it, at most one
#: refit per PAIRWISE_REFIT_SECONDS per process, warm-started from the last fit, and the snapshot says
#: which judgements its ranking counts ("ranking_judgements", "ranking_fitted_at").
PAIRWISE_REFIT_EVERY_PUSH_BELOW = 2_000
PAIRWISE_REFIT_SECONDS = 5.0
FIT_CACHE_KEY = "leaderboard:fit:{contest_id}"


def pairwise_fit(*, contest: Contest) -> dict:
    """The contest's Bradley–Terry fit: {"strengths", "judgements", "fitted_at", ...}, refitted only when needed.

    A fit is reused while no judgement was added or removed (count and highest id unchanged), and
    for large contests for PAIRWISE_REFIT_SECONDS after it was made; a refit starts from the previous
    strengths, so it takes a few iterations instead of hundreds (ranking.bradley_terry).
    """
    judged = PairwiseComparison.objects.filter(contest=contest, winner__isnull=False)
    summary = judged.aggregate(count=Count("pk"), last=Max("pk"))
    signature = [summary["count"], summary["last"]]
    key = FIT_CACHE_KEY.format(contest_id=contest.pk)
    try:
        fit = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache (Redis) may be down: fit afresh
        fit = None
    if fit is not None and fit["signature"] == signature:
        return fit
    fresh_enough = fit is not None and time.time() - fit["at"] < PAIRWISE_REFIT_SECONDS
    if fresh_enough and summary["count"] >= PAIRWISE_REFIT_EVERY_PUSH_BELOW:
        return fit
    judgements = judged.values_list("proposal_low_id", "proposal_high_id", "winner_id")
    games = [(winner, high if winner == low else low) for low, high, winner in judgements]
    strengths = ranking.bradley_terry(games, initial=fit["strengths"] if fit else None)
    fit = {
        "strengths": strengths,
        "signature": signature,
        "judgements": len(games),
        "at": time.time(),
        "fitted_at": timezone.now().isoformat().replace("+00:00", "Z"),
    }
    try:
        cache.set(key, fit, timeout=3600)
        cache.set(STRENGTHS_CACHE_KEY.format(contest_id=contest.pk), strengths, timeout=3600)  # the pair chooser's
    except Exception:  # noqa: BLE001 - the cache (Redis) may be down; the next push fits again
        logger.warning("Could not cache the Bradley–Terry fit of contest %s", contest.pk)
    return fit


def pairwise_strengths(*, contest: Contest) -> dict[int, float]:
    """Bradley–Terry strengths from the contest's judgements (pairwise_fit); cached for the pair chooser."""
    return pairwise_fit(contest=contest)["strengths"]


def pairwise_strengths_cached(*, contest_id: int) -> dict[int, float]:
    try:
        return cache.get(STRENGTHS_CACHE_KEY.format(contest_id=contest_id)) or {}
    except Exception:  # noqa: BLE001 - the cache (Redis) may be down; pairs are then drawn for coverage only
        return {}


def leaderboard_snapshot(*, contest: Contest, limit: int | None = None) -> dict:
    """A new snapshot of the contest's ranking in the websocket contract's shape, with the next version.

    The version is bumped and the ranking read in one transaction, after the bump:
    concurrent snapshots queue on the version row, so a higher version never holds
    older data.
    """
    limit = limit or settings.LEADERBOARD_SIZE
    with transaction.atomic():
        version = board_version_next(leaderboard_group(contest.pk))
        totals = contest_totals(contest=contest)
        entries = leaderboard_entries(contest=contest, limit=limit, totals=totals)
        total_votes = totals[0]
        fit = pairwise_fit(contest=contest) if contest.voting_method == Method.PAIRWISE else None
    freshness = {} if fit is None else {"ranking_judgements": fit["judgements"], "ranking_fitted_at": fit["fitted_at"]}
    proposal_url = _proposal_url_maker(contest.slug)
    return {
        **freshness,
        "type": "leaderboard",
        "contest": contest.slug,
        "version": version,
        "method": contest.voting_method,
        "total_votes": total_votes,
        "updated_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "entries": [
            {
                "rank": entry.rank,
                "proposal_id": entry.proposal_id,
                "title": entry.title,
                "score": round(entry.score, 2),
                "votes": entry.votes,
                "url": proposal_url(entry.proposal_id),
            }
            for entry in entries
        ],
    }


def _proposal_url_maker(contest_slug: str):
    """Proposal page URLs of one contest from a single reverse() (0.1 ms each: a third of a snapshot's Python)."""
    head, marker, tail = reverse("proposals:detail", kwargs={"contest_slug": contest_slug, "pk": 0}).rpartition("/0/")
    if not marker:
        return lambda pk: reverse("proposals:detail", kwargs={"contest_slug": contest_slug, "pk": pk})
    return lambda pk: f"{head}/{pk}/{tail}"


def leaderboard_snapshot_cached(*, contest: Contest) -> dict:
    """The latest snapshot if one was taken within the last second, else a new one (then cached)."""
    return board_snapshot_cached(key=leaderboard_group(contest.pk), take=lambda: leaderboard_snapshot(contest=contest))


def leaderboard_snapshot_for(ident: str) -> dict | None:
    """The live board kind's reader (voting.apps): a fresh snapshot of contest `ident`, None if it is gone."""
    contest = Contest.objects.filter(pk=int(ident)).first()
    return None if contest is None else leaderboard_snapshot(contest=contest)
