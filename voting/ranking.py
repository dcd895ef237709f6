"""Ranking maths for the four public voting methods.

Pure functions over plain numbers and small dataclasses: no ORM, no I/O, so they can be
unit-tested against hand-computed examples and called from services, the leaderboard
push and the results page alike. docs/voting-and-ranking.md explains each method with a
worked example; keep the two in step.

| method     | ranking statistic                         | score shown                 |
| ---------- | ----------------------------------------- | --------------------------- |
| `updown`   | Wilson lower bound (95 %) of the up-share | 100 × lower bound (0–100)   |
| `approval` | number of supports                        | supports                    |
| `stars`    | Bayesian average, prior = contest mean    | the average (1–5)           |
| `pairwise` | Bradley–Terry strength                    | chance to win, 0–100        |
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np

#: Two-sided 95 % normal quantile, Φ⁻¹(0.975).
Z_95 = 1.959963984540054

#: Contest mean used as the stars prior while a contest has no star votes at all:
#: the midpoint of the 1–5 scale, so a first vote moves a proposal away from neutral.
STARS_NEUTRAL_MEAN = 3.0

#: Weight m of the stars prior, in "virtual votes at the contest mean".
STARS_PRIOR_WEIGHT = 5

#: Strength of the Bradley–Terry prior (shape α + 1, rate α Gamma prior on each strength).
#: α = 1 keeps strengths finite for unbeaten or winless proposals and is worth roughly
#: one virtual win and one virtual loss against an average proposal: a proposal that won
#: its single comparison is rated 2:1 over its opponent, not infinitely better.
BRADLEY_TERRY_ALPHA = 1.0

#: Displayed pairwise score of a proposal nobody has compared yet.
PAIRWISE_NEUTRAL_SCORE = 50.0

Method = Literal["updown", "approval", "stars", "pairwise"]
METHODS: tuple[str, ...] = ("updown", "approval", "stars", "pairwise")

# Ranking keys are compared after rounding, so two proposals whose statistic differs only
# by floating-point noise (the same value reached by different arithmetic) tie exactly.
_KEY_DIGITS = 9


def wilson_lower_bound(up: int, down: int, z: float = Z_95) -> float:
    """Lower bound of the Wilson score interval for the share of up-votes.

    With n = up + down and p̂ = up / n:

        LB = (p̂ + z²/2n − z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)

    z = 1.96 gives the 95 % interval. Few votes give a wide interval and so a low bound:
    1 up / 0 down ranks below 80 up / 20 down. Returns 0.0 when there are no votes.
    The result is clamped to [0, 1] against floating-point noise.
    """
    if up < 0 or down < 0:
        raise ValueError("vote counts cannot be negative")
    n = up + down
    if n == 0:
        return 0.0
    phat = up / n
    z2 = z * z
    centre = phat + z2 / (2 * n)
    spread = z * math.sqrt(phat * (1 - phat) / n + z2 / (4 * n * n))
    bound = (centre - spread) / (1 + z2 / n)
    return min(1.0, max(0.0, bound))


def contest_mean(sum_of_stars: int, count: int) -> float:
    """Mean star rating over every star vote of a contest, the stars prior mean.

    When the contest has no star votes yet there is no mean to take: STARS_NEUTRAL_MEAN
    (3.0, the midpoint of the 1–5 scale) is used instead.
    """
    if sum_of_stars < 0 or count < 0:
        raise ValueError("star totals cannot be negative")
    if count == 0:
        return STARS_NEUTRAL_MEAN
    return sum_of_stars / count


def bayesian_average(
    sum_of_stars: int, count: int, prior_mean: float, prior_weight: float = STARS_PRIOR_WEIGHT
) -> float:
    """Bayesian (damped) average of a proposal's star votes.

        B = (m·C + Σ stars) / (m + n)

    where C is the prior mean (the contest mean, see contest_mean), m the prior weight
    and n the number of votes. It behaves like m extra votes at the contest mean, so one
    5-star vote does not beat forty 4.8-star votes. With no votes, B = C.
    """
    if sum_of_stars < 0 or count < 0:
        raise ValueError("star totals cannot be negative")
    if prior_weight <= 0:
        raise ValueError("prior_weight must be positive")
    return (prior_weight * prior_mean + sum_of_stars) / (prior_weight + count)


def bradley_terry(
    comparisons: Iterable[tuple[Hashable, Hashable]],
    *,
    alpha: float = BRADLEY_TERRY_ALPHA,
    initial: Mapping[Hashable, float] | None = None,
    tol: float = 1e-7,
    max_iter: int = 10_000,
) -> dict[Hashable, float]:
    """Bradley–Terry strengths from pairwise judgements.

    `comparisons` holds one (winner_id, loser_id) tuple per judgement. The model says
    P(i beats j) = pᵢ / (pᵢ + pⱼ). Strengths are the maximum a-posteriori estimate under
    an independent Gamma(α + 1, α) prior on each pᵢ (mode 1), found with Hunter's (2004)
    minorisation–maximisation iteration:

        pᵢ ← (Wᵢ + α) / (Σⱼ nᵢⱼ / (pᵢ + pⱼ) + α)

    with Wᵢ the wins of i and nᵢⱼ the number of judgements between i and j. For α > 0 the
    estimate exists and is finite even for unbeaten or winless proposals, and it is unique,
    so the iteration converges from any start. The fixed point is the one of
    choix.mm_pairwise(alpha=α) (the tests check it); this vectorised version runs over
    distinct pairs with numpy instead of looping over every judgement in Python, because
    the leaderboard refits contests of 10,000 proposals.

    Only proposals that appear in a comparison get a strength; the scale is fixed by the
    prior (strengths hover around 1), and only ratios carry meaning. `initial` (the
    strengths of a previous fit) only sets the starting point: the result is the same, but
    a refit after a few new judgements takes a handful of iterations instead of hundreds.
    The iteration stops when no log-strength moves by more than `tol` (1e-7 moves a
    displayed 0–100 score by well under 0.01).
    """
    if alpha <= 0:
        raise ValueError("alpha must be positive: without a prior an unbeaten proposal has infinite strength")
    # Aggregate with numpy rather than a Python loop: a contest can hold 10⁵–10⁶ judgements.
    judgements = np.asarray(list(comparisons))
    if judgements.size == 0:
        return {}
    if judgements.ndim != 2 or judgements.shape[1] != 2:
        raise ValueError("each comparison must be a (winner_id, loser_id) pair")
    ids, positions = np.unique(judgements.ravel(), return_inverse=True)
    positions = positions.reshape(-1, 2)
    winners, losers = positions[:, 0], positions[:, 1]
    if np.any(winners == losers):
        raise ValueError("a proposal cannot be compared with itself")
    n = len(ids)
    wins = np.bincount(winners, minlength=n).astype(float)
    # One entry per unordered pair, with the number of judgements between the two.
    pair_codes, pair_games = np.unique(
        np.minimum(winners, losers).astype(np.int64) * n + np.maximum(winners, losers), return_counts=True
    )
    first, second = pair_codes // n, pair_codes % n
    pair_games = pair_games.astype(float)
    index = {proposal_id: i for i, proposal_id in enumerate(ids.tolist())}
    strengths = np.ones(n)
    if initial:
        for proposal_id, i in index.items():
            start = initial.get(proposal_id)
            if start is not None and start > 0 and math.isfinite(start):
                strengths[i] = start
    for _ in range(max_iter):
        per_pair = pair_games / (strengths[first] + strengths[second])
        denominators = np.bincount(first, per_pair, minlength=n) + np.bincount(second, per_pair, minlength=n)
        updated = (wins + alpha) / (denominators + alpha)
        change = float(np.max(np.abs(np.log(updated) - np.log(strengths))))
        strengths = updated
        if change < tol:
            break
    return {proposal_id: float(strengths[i]) for proposal_id, i in index.items()}


def chance_to_win(strengths: Mapping[Hashable, float], proposal_ids: Iterable[Hashable]) -> dict[Hashable, float]:
    """Displayed pairwise score: chance, 0–100, to beat a random other compared proposal.

        scoreᵢ = 100 × mean over compared j ≠ i of pᵢ / (pᵢ + pⱼ)

    The mean runs over the other proposals that have a strength (at least one comparison):
    an uncompared proposal has no estimate, and counting it as a coin flip would only pull
    every score towards 50 while a large contest is still young. Proposals without a
    strength, and a lone compared proposal, get PAIRWISE_NEUTRAL_SCORE (50). The scores of
    the compared proposals average exactly 50.

    Cost is O(k²) for k compared proposals (about 0.35 s at k = 10,000), computed in
    blocks so memory stays small.
    """
    ids = list(proposal_ids)
    known = [proposal_id for proposal_id in ids if proposal_id in strengths]
    scores = dict.fromkeys(ids, PAIRWISE_NEUTRAL_SCORE)
    k = len(known)
    if k < 2:
        return scores
    values = np.fromiter((strengths[proposal_id] for proposal_id in known), dtype=float, count=k)
    totals = np.empty(k)
    block = 512
    for start in range(0, k, block):
        rows = values[start : start + block, None]
        totals[start : start + block] = (rows / (rows + values[None, :])).sum(axis=1)
    # Each row included j = i, which contributes exactly 1/2; take it out.
    means = (totals - 0.5) / (k - 1)
    for proposal_id, mean in zip(known, means, strict=True):
        scores[proposal_id] = 100.0 * float(mean)
    return scores


def normalise_0_100(values: Sequence[float]) -> list[float]:
    """Min–max scale values onto 0–100: the lowest becomes 0, the highest 100.

        xᵢ' = 100 × (xᵢ − min) / (max − min)

    When all values are equal (including a single value) there is no spread to scale,
    and every value becomes 50. Used to put public and jury scores on one scale before
    they are weighted together.
    """
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [50.0] * len(values)
    spread = high - low
    return [100.0 * (value - low) / spread for value in values]


@dataclass(frozen=True, slots=True)
class TallyRow:
    """A proposal's aggregates, as a leaderboard query returns them.

    Only the fields of the contest's method are read: up/down for `updown`, supports for
    `approval`, star_sum/star_count for `stars`, pairwise_score (from chance_to_win) and
    comparisons for `pairwise`.
    """

    proposal_id: int
    title: str
    submitted_at: datetime | None
    up: int = 0
    down: int = 0
    supports: int = 0
    star_sum: int = 0
    star_count: int = 0
    pairwise_score: float = PAIRWISE_NEUTRAL_SCORE
    comparisons: int = 0


@dataclass(frozen=True, slots=True)
class RankedEntry:
    """One leaderboard row: shared rank, display score and number of votes."""

    rank: int
    proposal_id: int
    title: str
    score: float
    votes: int


def rank_entries(
    entries: Iterable[TallyRow],
    method: str,
    *,
    stars_prior_mean: float | None = None,
    stars_prior_weight: float = STARS_PRIOR_WEIGHT,
) -> list[RankedEntry]:
    """Order a contest's proposals for its method and give each a rank and display score.

    Order (best first):
    - updown: Wilson lower bound desc, then net votes (up − down) desc;
    - approval: supports desc;
    - stars: Bayesian average desc, then number of votes desc. The prior mean is
      `stars_prior_mean` when given (pass the whole contest's mean when ranking only some
      of its proposals, e.g. a top N), else the mean over `entries`; weight
      `stars_prior_weight` (default 5);
    - pairwise: chance to win desc, then number of comparisons desc;
    and in every method, finally the earliest submission first (submitted_at asc, then
    proposal_id asc; never-submitted rows last).

    Ranks are dense over the method's merit key (everything above except submission
    time): proposals with identical votes share a rank and the next distinct result gets
    the next integer (1, 1, 2). Submission time only orders rows within a shared rank.

    Scores are for display, rounded to two decimals: updown 100 × Wilson bound (0–100),
    approval the support count, stars the Bayesian average (1–5), pairwise 0–100.
    """
    if method not in METHODS:
        raise ValueError(f"unknown voting method {method!r}")
    # Two stable sorts instead of one composite key: first by submission, then by merit, so
    # equal merits keep the earliest-first order. Cheaper than building nested key tuples,
    # which matters at 10,000 proposals per leaderboard push.
    rows = sorted(entries, key=_submission_order)
    if method == "updown":
        bounds = [wilson_lower_bound(row.up, row.down) for row in rows]
        merits: list = [
            (-round(bound, _KEY_DIGITS), row.down - row.up) for bound, row in zip(bounds, rows, strict=True)
        ]
        scores = [100.0 * bound for bound in bounds]
        votes = [row.up + row.down for row in rows]
    elif method == "approval":
        merits = [-row.supports for row in rows]
        scores = [float(row.supports) for row in rows]
        votes = [row.supports for row in rows]
    elif method == "stars":
        prior = stars_prior_mean
        if prior is None:
            prior = contest_mean(sum(row.star_sum for row in rows), sum(row.star_count for row in rows))
        scores = [bayesian_average(row.star_sum, row.star_count, prior, stars_prior_weight) for row in rows]
        merits = [(-round(average, _KEY_DIGITS), -row.star_count) for average, row in zip(scores, rows, strict=True)]
        votes = [row.star_count for row in rows]
    else:
        scores = [row.pairwise_score for row in rows]
        merits = [(-round(row.pairwise_score, _KEY_DIGITS), -row.comparisons) for row in rows]
        votes = [row.comparisons for row in rows]

    ranked: list[RankedEntry] = []
    rank, previous = 0, None
    for index in sorted(range(len(rows)), key=merits.__getitem__):
        merit = merits[index]
        if merit != previous:
            rank, previous = rank + 1, merit
        row = rows[index]
        ranked.append(
            RankedEntry(
                rank=rank,
                proposal_id=row.proposal_id,
                title=row.title,
                score=round(scores[index], 2),
                votes=votes[index],
            )
        )
    return ranked


def _submission_order(row: TallyRow) -> tuple:
    # (False, …) sorts before (True, …): never-submitted rows go last, and None is never compared.
    if row.submitted_at is None:
        return (True, row.proposal_id)
    return (False, row.submitted_at, row.proposal_id)
