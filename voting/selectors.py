"""Reads for voting: the leaderboard snapshot, a voter's ballots, remaining supports.

The leaderboard is built from the tallies, never by counting ballots, so a push
costs the same whatever the number of votes. For updown and approval the top N
comes straight from the (contest, score) index; stars ranks by a Bayesian
average whose prior moves with every vote, and pairwise refits Bradley–Terry, so
those two read every tally of the contest (see docs/live-leaderboard.md).
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from contests.models import Contest
from contests.phases import voting_is_open
from contests.selectors import contest_for_viewer  # noqa: F401 - voting's views and API use it from here
from proposals.models import Proposal
from voting import ranking
from voting.models import ApprovalBudget, ContestTallyShard, LeaderboardState, PairwiseComparison, ProposalTally, Vote
from voting.rules import vote_refusal

Method = Contest.VotingMethod

SNAPSHOT_CACHE_KEY = "leaderboard:snapshot:{contest_id}"
STRENGTHS_CACHE_KEY = "leaderboard:strengths:{contest_id}"


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
    # Pairwise: refit Bradley–Terry on every judgement, then score every public proposal.
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


def pairwise_strengths(*, contest: Contest) -> dict[int, float]:
    """Bradley–Terry strengths from every judgement of the contest; cached for the pair chooser."""
    judgements = PairwiseComparison.objects.filter(contest=contest, winner__isnull=False).values_list(
        "proposal_low_id", "proposal_high_id", "winner_id"
    )
    games = [(winner, high if winner == low else low) for low, high, winner in judgements]
    strengths = ranking.bradley_terry(games)
    cache.set(STRENGTHS_CACHE_KEY.format(contest_id=contest.pk), strengths, timeout=3600)
    return strengths


def pairwise_strengths_cached(*, contest_id: int) -> dict[int, float]:
    try:
        return cache.get(STRENGTHS_CACHE_KEY.format(contest_id=contest_id)) or {}
    except Exception:  # noqa: BLE001 - the cache (Redis) may be down; pairs are then drawn for coverage only
        return {}


def _next_version(contest: Contest) -> int:
    updated = LeaderboardState.objects.filter(contest=contest).update(version=F("version") + 1)
    if not updated:
        LeaderboardState.objects.get_or_create(contest=contest)
        LeaderboardState.objects.filter(contest=contest).update(version=F("version") + 1)
    return LeaderboardState.objects.values_list("version", flat=True).get(contest=contest)


def leaderboard_snapshot(*, contest: Contest, limit: int | None = None) -> dict:
    """A new snapshot of the contest's ranking in the websocket contract's shape, with the next version.

    The version is bumped and the ranking read in one transaction, after the bump:
    concurrent snapshots queue on the version row, so a higher version never holds
    older data.
    """
    limit = limit or settings.LEADERBOARD_SIZE
    with transaction.atomic():
        version = _next_version(contest)
        totals = contest_totals(contest=contest)
        entries = leaderboard_entries(contest=contest, limit=limit, totals=totals)
        total_votes = totals[0]
    return {
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
                "url": reverse("proposals:detail", kwargs={"contest_slug": contest.slug, "pk": entry.proposal_id}),
            }
            for entry in entries
        ],
    }


def leaderboard_snapshot_cached(*, contest: Contest) -> dict:
    """The latest snapshot if one was taken within the last second, else a new one (then cached)."""
    key = SNAPSHOT_CACHE_KEY.format(contest_id=contest.pk)
    try:
        snapshot = cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: serve from PostgreSQL
        snapshot = None
    if snapshot is None:
        snapshot = leaderboard_snapshot(contest=contest)
        leaderboard_cache_store(contest_id=contest.pk, snapshot=snapshot)
    return snapshot


def leaderboard_cache_store(*, contest_id: int, snapshot: dict) -> None:
    # A cache outage must not break voting or pages: the next reader computes a fresh snapshot.
    with contextlib.suppress(Exception):
        cache.set(SNAPSHOT_CACHE_KEY.format(contest_id=contest_id), snapshot, timeout=1)


def votes_of_voter(*, voter, proposal_ids) -> dict[int, int]:
    """{proposal_id: value} of the voter's ballots among these proposals (one query)."""
    if not (voter and voter.is_authenticated):
        return {}
    return dict(
        Vote.objects.filter(voter=voter, proposal_id__in=list(proposal_ids)).values_list("proposal_id", "value")
    )


def approval_remaining(*, voter, contest: Contest) -> int | None:
    """Supports the voter has left in an approval contest (None for other methods or anonymous)."""
    if contest.voting_method != Method.APPROVAL or not (voter and voter.is_authenticated):
        return None
    used = ApprovalBudget.objects.filter(voter=voter, contest=contest).values_list("used", flat=True).first() or 0
    return max(0, contest.approval_limit - used)


def proposal_for_vote(*, pk: int, user, include_own_ballots: bool = False) -> Proposal:
    """The proposal with what the voting rules read (contest, agency, co-authors); 404 if the user may not see it.

    With include_own_ballots, a proposal the user voted on is found even after it was hidden,
    withdrawn or merged, so they can take back their ballot (and an approval support).
    """
    proposal = (
        Proposal.objects.select_related("contest__agency").prefetch_related("coauthorships").filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404
    if user.has_perm("proposals.view_proposal", proposal):
        return proposal
    if include_own_ballots and user.is_authenticated and Vote.objects.filter(voter=user, proposal=proposal).exists():
        return proposal
    raise Http404


def pair_proposal_data(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "summary": proposal.summary,
        "url": reverse("proposals:detail", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk}),
    }


NO_PAIR_LEFT_MESSAGE = gettext_lazy("You have compared every pair available to you. Thank you!")


# --- Vote controls on proposal pages ---------------------------------------------------


@dataclass(frozen=True)
class ProposalVotes:
    """One proposal's tallies, the viewer's ballot on it, and why they may not vote (None: they may)."""

    proposal_id: int
    method: str
    ballots: int = 0
    value_sum: int = 0
    up: int = 0
    down: int = 0
    value: int | None = None
    refusal: str | None = None

    @property
    def can_vote(self) -> bool:
        return self.refusal is None

    @property
    def net(self) -> int:
        return self.up - self.down

    @property
    def mean(self) -> float | None:
        return self.value_sum / self.ballots if self.ballots else None


@dataclass(frozen=True)
class ContestVoting:
    """What the vote controls of one page show: the contest's voting window and each proposal's state.

    `state` is "open", "not_yet" (voting has not opened) or "closed".
    """

    contest: Contest
    state: str
    supports_left: int | None
    proposals: dict[int, ProposalVotes]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def for_proposal(self, proposal_id: int) -> ProposalVotes | None:
        return self.proposals.get(proposal_id)


def contest_voting_state(contest: Contest) -> str:
    if voting_is_open(contest):
        return "open"
    if not contest.is_published or timezone.now() < contest.voting_opens_at:
        return "not_yet"
    return "closed"


def contest_voting_for_proposals(*, user, contest: Contest, proposals) -> ContestVoting:
    """Vote controls' data for a page of proposals of one contest, in at most three queries whatever the page size.

    The proposals must come with `contest` and their co-authors loaded (as proposals.selectors
    gives them), so the voting rules read nothing more. Before voting opens nothing is read.
    """
    proposals = list(proposals)
    ids = [proposal.pk for proposal in proposals]
    state = contest_voting_state(contest)
    method = contest.voting_method
    tallies: dict[int, tuple] = {}
    values: dict[int, int] = {}
    if state != "not_yet" and ids and method != Method.PAIRWISE:
        tallies = {
            row[0]: row[1:]
            for row in ProposalTally.objects.filter(proposal_id__in=ids).values_list(
                "proposal_id", "ballots", "value_sum", "positive", "negative"
            )
        }
        values = votes_of_voter(voter=user, proposal_ids=ids)
    rows = {}
    for proposal in proposals:
        ballots, value_sum, up, down = tallies.get(proposal.pk, (0, 0, 0, 0))
        rows[proposal.pk] = ProposalVotes(
            proposal_id=proposal.pk,
            method=method,
            ballots=ballots,
            value_sum=value_sum,
            up=up,
            down=down,
            value=values.get(proposal.pk),
            refusal=vote_refusal(user, proposal)
            if state == "open"
            else gettext("Voting is not open for this contest."),
        )
    supports_left = approval_remaining(voter=user, contest=contest) if state == "open" else None
    return ContestVoting(contest=contest, state=state, supports_left=supports_left, proposals=rows)
