"""Exposure-aware ranking maths for approval and up/down contests: pure functions, no ORM.

A plain support count mostly measures who was *seen*: proposals at the top of the list
or on many people's screens collect supports that a better proposal few people saw
never had the chance to get. Here a proposal is ranked by its support *per exposure*
(the distinct viewers it was shown to), shrunk towards the contest's overall rate so
a proposal seen by three people is not ranked on three coin flips.

Approval — each exposure is a trial that ends in a support or not. With s supports,
n exposures (at least s), the contest rate μ = Σs / Σn and prior weight m, the
posterior mean of a Beta(m·μ, m·(1 − μ)) prior is

    rate = (s + m·μ) / (n + m)

Up/down — each exposure ends in +1, −1 or nothing. With u up, d down, the contest net
rate ν = Σ(u − d) / Σn, the same shrinkage on the net vote per exposure gives

    net rate = (u − d + m·ν) / (n + m)

A proposal nobody saw scores exactly the contest rate. docs/voting-and-ranking.md has a
worked example; the simulation in tests/voting/test_exposure_simulation.py measures how
much better than plain counts it recovers a known true order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from voting.ranking import RankedEntry

#: Prior weight m, in "virtual exposures at the contest rate".
EXPOSURE_PRIOR_WEIGHT = 3.0

_KEY_DIGITS = 9


@dataclass(frozen=True, slots=True)
class ExposureRow:
    """A proposal's ballots and exposures (supports are `up` in approval contests)."""

    proposal_id: int
    title: str
    submitted_at: datetime | None
    exposures: int
    up: int = 0
    down: int = 0


def _trials(row: ExposureRow, method: str) -> int:
    # A ballot implies the proposal was seen, even if the view that showed it was not counted
    # (a vote through the API, a count lost with a cache): never fewer trials than ballots.
    ballots = row.up + (row.down if method == "updown" else 0)
    return max(row.exposures, ballots)


def _successes(row: ExposureRow, method: str) -> int:
    return row.up - row.down if method == "updown" else row.up


def contest_rate(rows: Sequence[ExposureRow], method: str) -> float:
    """μ (approval: supports per exposure) or ν (updown: net votes per exposure) over the whole contest; 0 if unseen."""
    trials = sum(_trials(row, method) for row in rows)
    if trials == 0:
        return 0.0
    return sum(_successes(row, method) for row in rows) / trials


def shrunk_rate(successes: int, trials: int, prior_rate: float, prior_weight: float = EXPOSURE_PRIOR_WEIGHT) -> float:
    """(successes + m·prior) / (trials + m): the posterior mean of the per-exposure rate."""
    if trials < 0:
        raise ValueError("exposures cannot be negative")
    if prior_weight <= 0:
        raise ValueError("prior_weight must be positive")
    return (successes + prior_weight * prior_rate) / (trials + prior_weight)


def exposure_scores(
    rows: Sequence[ExposureRow],
    method: str,
    *,
    prior_rate: float | None = None,
    prior_weight: float = EXPOSURE_PRIOR_WEIGHT,
) -> dict[int, float]:
    """{proposal_id: shrunk rate}. Pass the whole contest's `prior_rate` when `rows` is only part of it."""
    if method not in ("approval", "updown"):
        raise ValueError(f"exposure-aware ranking is for approval and updown, not {method!r}")
    prior = contest_rate(rows, method) if prior_rate is None else prior_rate
    return {
        row.proposal_id: shrunk_rate(_successes(row, method), _trials(row, method), prior, prior_weight) for row in rows
    }


def rank_by_exposure(
    rows: Iterable[ExposureRow],
    method: str,
    *,
    prior_rate: float | None = None,
    prior_weight: float = EXPOSURE_PRIOR_WEIGHT,
) -> list[RankedEntry]:
    """Rank by shrunk rate ↓, then ballots ↓, then earliest submission; dense ranks as in ranking.rank_entries.

    The displayed score is 100 × the rate: approval "supports per 100 viewers", updown
    "net votes per 100 viewers" (−100…100).
    """
    rows = sorted(rows, key=_submission_order)
    scores = exposure_scores(rows, method, prior_rate=prior_rate, prior_weight=prior_weight)
    ballots = {row.proposal_id: row.up + (row.down if method == "updown" else 0) for row in rows}
    merits = [(-round(scores[row.proposal_id], _KEY_DIGITS), -ballots[row.proposal_id]) for row in rows]
    ranked: list[RankedEntry] = []
    rank, previous = 0, None
    for index in sorted(range(len(rows)), key=merits.__getitem__):
        if merits[index] != previous:
            rank, previous = rank + 1, merits[index]
        row = rows[index]
        ranked.append(
            RankedEntry(
                rank=rank,
                proposal_id=row.proposal_id,
                title=row.title,
                score=round(100.0 * scores[row.proposal_id], 2),
                votes=ballots[row.proposal_id],
            )
        )
    return ranked


def _submission_order(row: ExposureRow) -> tuple:
    if row.submitted_at is None:
        return (True, row.proposal_id)
    return (False, row.submitted_at, row.proposal_id)
