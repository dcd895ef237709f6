"""A simulated crowd whose true proposal quality is known, for measuring how well a ranking recovers it.

30 proposals with quality q ~ N(0, 1); a visibility weight exp(0.9·z), z ~ N(0, 1) drawn
independently of quality (some proposals are simply shown more: top of a list, shared
links). 120 voters each see 10 proposals, drawn by visibility without replacement. A
voter perceives q + ε (ε ~ N(0, 0.7²)):
- approval (3 supports): supports the best three seen that they find positive;
- up/down: votes on 70 % of those seen, up when the perceived quality is positive.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from scipy.stats import kendalltau

PROPOSALS, VOTERS, SEEN, SUPPORTS = 30, 120, 10, 3
VISIBILITY_SPREAD, PERCEPTION_NOISE, UPDOWN_TURNOUT = 0.9, 0.7, 0.7


@dataclass
class Crowd:
    quality: list[float]
    shown: list[list[int]] = field(default_factory=list)  # per voter, the proposals they saw
    supports: list[list[int]] = field(default_factory=list)  # per voter, approval supports
    updown: list[dict[int, int]] = field(default_factory=list)  # per voter, {proposal: ±1}

    def exposures(self) -> list[int]:
        counts = [0] * len(self.quality)
        for seen in self.shown:
            for proposal in seen:
                counts[proposal] += 1
        return counts

    def support_counts(self) -> list[int]:
        counts = [0] * len(self.quality)
        for chosen in self.supports:
            for proposal in chosen:
                counts[proposal] += 1
        return counts

    def updown_counts(self) -> tuple[list[int], list[int]]:
        up, down = [0] * len(self.quality), [0] * len(self.quality)
        for ballots in self.updown:
            for proposal, value in ballots.items():
                (up if value > 0 else down)[proposal] += 1
        return up, down


def crowd(seed: int, voters: int = VOTERS) -> Crowd:
    rng = random.Random(seed)
    quality = [rng.gauss(0, 1) for _ in range(PROPOSALS)]
    visibility = [pow(2.718281828459045, VISIBILITY_SPREAD * rng.gauss(0, 1)) for _ in range(PROPOSALS)]
    result = Crowd(quality=quality)
    for _voter in range(voters):
        pool, weights, seen = list(range(PROPOSALS)), list(visibility), []
        for _ in range(SEEN):
            index = rng.choices(range(len(pool)), weights=weights)[0]
            seen.append(pool.pop(index))
            weights.pop(index)
        perceived = {proposal: quality[proposal] + rng.gauss(0, PERCEPTION_NOISE) for proposal in seen}
        liked = sorted((p for p in seen if perceived[p] > 0), key=lambda p: -perceived[p])
        result.shown.append(seen)
        result.supports.append(liked[:SUPPORTS])
        ballots = {}
        for proposal in seen:
            if rng.random() < UPDOWN_TURNOUT:
                ballots[proposal] = 1 if quality[proposal] + rng.gauss(0, PERCEPTION_NOISE) > 0 else -1
        result.updown.append(ballots)
    return result


def tau(quality: list[float], scores: dict[int, float]) -> float:
    """Kendall τ-b between the true quality and a ranking's scores (ties in the scores count as ties)."""
    return float(kendalltau(quality, [scores[index] for index in range(len(quality))]).statistic)
