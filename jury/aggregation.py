"""Jury maths: weighted rubric scores, per-reviewer normalisation, agreement, final results.

Pure functions over plain numbers; docs/jury-review.md explains each step with the
formulas used here. Keep the two in step.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

from voting.ranking import normalise_0_100

_KEY_DIGITS = 9


def weighted_score(scores: Mapping[Hashable, float], weights: Mapping[Hashable, float]) -> float:
    """A review's rubric score on 0–10: Σ wᵢ·sᵢ / Σ wᵢ over the rubric's criteria."""
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("a rubric needs a positive total weight")
    return sum(weights[criterion] * scores[criterion] for criterion in weights) / total_weight


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """One submitted review reduced to its weighted rubric score (0–10)."""

    reviewer: Hashable
    proposal: Hashable
    score: float


def normalise_per_reviewer(reviews: Sequence[ReviewScore]) -> list[ReviewScore]:
    """Z-score each reviewer's scores, then map back onto the pool's mean and spread.

        zᵢ = (xᵢ − mean of that reviewer) / sd of that reviewer
        xᵢ' = pool mean + zᵢ × pool sd

    Standard deviations are population ones (divide by n). A reviewer with a single
    review, or who gave every proposal the same score, has no spread: their z is 0, so
    their reviews land on the pool mean. The result stays on the 0–10 scale's centre and
    spread but is not clamped, so it may fall slightly outside 0–10.
    """
    if not reviews:
        return []
    pool = [review.score for review in reviews]
    pool_mean, pool_sd = statistics.fmean(pool), statistics.pstdev(pool)
    by_reviewer: dict[Hashable, list[float]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer].append(review.score)
    moments = {
        reviewer: (statistics.fmean(values), statistics.pstdev(values)) for reviewer, values in by_reviewer.items()
    }
    result = []
    for review in reviews:
        mean, sd = moments[review.reviewer]
        z = (review.score - mean) / sd if sd > 0 else 0.0
        result.append(ReviewScore(review.reviewer, review.proposal, pool_mean + z * pool_sd))
    return result


def proposal_scores(reviews: Sequence[ReviewScore]) -> dict[Hashable, float]:
    """Per proposal, the mean of its reviews' scores (proposals without reviews are absent)."""
    by_proposal: dict[Hashable, list[float]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal].append(review.score)
    return {proposal: statistics.fmean(values) for proposal, values in by_proposal.items()}


def krippendorff_alpha_interval(reviews: Sequence[ReviewScore]) -> float | None:
    """Krippendorff's alpha (interval metric) of the reviewers × proposals score matrix.

    1 = perfect agreement, 0 = no better than chance, < 0 = systematic disagreement.
    None when it is undefined: fewer than two proposals with two or more reviews, or no
    variation at all.
    """
    reviewers = sorted({review.reviewer for review in reviews}, key=str)
    proposals = sorted({review.proposal for review in reviews}, key=str)
    counts: dict[Hashable, int] = defaultdict(int)
    for review in reviews:
        counts[review.proposal] += 1
    if sum(1 for count in counts.values() if count >= 2) < 2:
        return None
    if len({review.score for review in reviews}) < 2:
        return None
    row = {reviewer: index for index, reviewer in enumerate(reviewers)}
    column = {proposal: index for index, proposal in enumerate(proposals)}
    matrix = np.full((len(reviewers), len(proposals)), np.nan)
    for review in reviews:
        matrix[row[review.reviewer], column[review.proposal]] = review.score
    value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"))
    return None if math.isnan(value) else value


@dataclass(frozen=True, slots=True)
class Disagreement:
    proposal: Hashable
    spread: float  # population standard deviation of the proposal's review scores
    low: float
    high: float
    reviews: int


def largest_disagreements(reviews: Sequence[ReviewScore], limit: int = 5) -> list[Disagreement]:
    """Proposals with two or more reviews whose scores spread the most, widest first."""
    by_proposal: dict[Hashable, list[float]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal].append(review.score)
    rows = [
        Disagreement(proposal, statistics.pstdev(values), min(values), max(values), len(values))
        for proposal, values in by_proposal.items()
        if len(values) >= 2
    ]
    rows.sort(key=lambda row: (-round(row.spread, _KEY_DIGITS), str(row.proposal)))
    return [row for row in rows if row.spread > 0][:limit]


@dataclass(frozen=True, slots=True)
class ResultEntry:
    rank: int
    proposal: Hashable
    public_score: float | None  # the leaderboard's display score
    jury_score: float | None  # mean rubric score, 0–10 (normalised if the contest says so)
    public_component: float  # public score min–max normalised to 0–100
    jury_component: float  # jury score min–max normalised to 0–100 (0 when unreviewed)
    final: float


def combine_results(
    *,
    proposals: Sequence[Hashable],
    public_scores: Mapping[Hashable, float],
    jury_scores: Mapping[Hashable, float],
    public_weight: int,
    jury_weight: int,
) -> list[ResultEntry]:
    """Final = (public_weight × public component + jury_weight × jury component) / 100.

    Components are min–max normalised to 0–100 over the listed proposals
    (voting.ranking.normalise_0_100: all equal → 50). A proposal without a public score
    counts as the lowest public score seen (0 if none); one without a jury score gets a
    jury component of 0. Ranked by final desc, then jury component desc, then public
    component desc; equal triples share a rank (dense); proposals keep their given order
    within a shared rank.
    """
    proposals = list(proposals)
    if not proposals:
        return []
    public_known = [public_scores[p] for p in proposals if p in public_scores]
    public_floor = min(public_known) if public_known else 0.0
    public_values = [public_scores.get(p, public_floor) for p in proposals]
    public_components = normalise_0_100(public_values)
    reviewed = [p for p in proposals if p in jury_scores]
    jury_components = dict(zip(reviewed, normalise_0_100([jury_scores[p] for p in reviewed]), strict=True))
    rows = []
    for index, proposal in enumerate(proposals):
        public_component = public_components[index]
        jury_component = jury_components.get(proposal, 0.0)
        final = (public_weight * public_component + jury_weight * jury_component) / 100
        rows.append((proposal, public_component, jury_component, final))
    order = sorted(
        range(len(rows)),
        key=lambda i: (
            -round(rows[i][3], _KEY_DIGITS),
            -round(rows[i][2], _KEY_DIGITS),
            -round(rows[i][1], _KEY_DIGITS),
            i,
        ),
    )
    ranked: list[ResultEntry] = []
    rank, previous = 0, None
    for i in order:
        proposal, public_component, jury_component, final = rows[i]
        merit = (round(final, _KEY_DIGITS), round(jury_component, _KEY_DIGITS), round(public_component, _KEY_DIGITS))
        if merit != previous:
            rank, previous = rank + 1, merit
        ranked.append(
            ResultEntry(
                rank=rank,
                proposal=proposal,
                public_score=public_scores.get(proposal),
                jury_score=jury_scores.get(proposal),
                public_component=public_component,
                jury_component=jury_component,
                final=final,
            )
        )
    return ranked
