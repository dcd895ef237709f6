"""Choose the next pair of proposals to show a citizen in a pairwise contest.

A pure function over plain data, deterministic for a given random.Random, so the
service that hands out pairs (and records which pair it handed out, to refuse forged
answers) stays thin and the sampling can be tested on its own.

Two goals pull the draw:
- coverage: every proposal gets compared often enough, so newly submitted or rarely
  drawn proposals are favoured as the first of the pair;
- information: a pair whose outcome is already clear (strengths far apart) teaches
  little, so the partner is drawn among proposals of similar strength and among pairs
  that have been judged few times.
A small floor keeps well-separated pairs possible, so an early misjudgement can still
be corrected. docs/voting-and-ranking.md describes the weights with an example.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

#: First proposal: weight 1 / (1 + comparisons − fewest comparisons)^COVERAGE_EXPONENT.
COVERAGE_EXPONENT = 2

#: Partner: closeness never drops below this share of a perfectly even pair's weight.
CLOSENESS_FLOOR = 0.05


def pair_key(first: int, second: int) -> tuple[int, int]:
    """The order-free key of a pair, (smaller id, larger id), used by every mapping here."""
    return (first, second) if first < second else (second, first)


def closeness(first_strength: float | None, second_strength: float | None) -> float:
    """How undecided a pair is, from CLOSENESS_FLOOR (clear outcome) to 1 (coin flip).

    With p = s₁ / (s₁ + s₂) the Bradley–Terry chance that the first wins,

        closeness = floor + (1 − floor) · 4 · p · (1 − p)

    4p(1 − p) is 1 at p = ½ and falls to 0 as p nears 0 or 1. A proposal without a strength
    yet is treated as a coin flip against anyone (closeness 1): nothing is known about it.
    """
    if first_strength is None or second_strength is None:
        return 1.0
    p = first_strength / (first_strength + second_strength)
    return CLOSENESS_FLOOR + (1 - CLOSENESS_FLOOR) * 4 * p * (1 - p)


def choose_pair(
    *,
    proposal_ids: Sequence[int],
    comparison_counts: Mapping[int, int],
    pair_counts: Mapping[tuple[int, int], int],
    strengths: Mapping[int, float],
    excluded_pairs: Iterable[tuple[int, int]],
    own_proposal_ids: Collection[int],
    rng: random.Random,
) -> tuple[int, int] | None:
    """Draw the next pair to show, or None when the citizen has no pair left to judge.

    - proposal_ids: the proposals open to pairwise voting (visible, submitted), in a
      stable order (the draw depends on it for a given seed);
    - comparison_counts: judgements each proposal has taken part in (missing = 0);
    - pair_counts: judgements per pair, keyed by pair_key (missing = 0);
    - strengths: current Bradley–Terry strengths (missing = not compared yet);
    - excluded_pairs: pairs this citizen already judged or skipped, in either order;
    - own_proposal_ids: proposals the citizen (co-)authored, never shown to them.

    The first proposal is drawn with weight 1 / (1 + c − c_min)², c its comparisons and
    c_min the fewest of any candidate, among proposals that still have a possible partner.
    The partner is drawn among the remaining proposals with weight
    closeness(first, partner) / (1 + judgements of that pair). The two are returned in
    random order so neither screen side is systematically the less compared proposal.
    """
    own = set(own_proposal_ids)
    eligible = [proposal_id for proposal_id in dict.fromkeys(proposal_ids) if proposal_id not in own]
    eligible_set = set(eligible)
    excluded: set[tuple[int, int]] = set()
    for first, second in excluded_pairs:
        if first != second and first in eligible_set and second in eligible_set:
            excluded.add(pair_key(first, second))
    # A proposal can open a pair only if some partner is not yet excluded for it.
    excluded_degree: Counter[int] = Counter()
    for first, second in excluded:
        excluded_degree[first] += 1
        excluded_degree[second] += 1
    partners_each = len(eligible) - 1
    openers = [proposal_id for proposal_id in eligible if excluded_degree[proposal_id] < partners_each]
    if not openers:
        return None

    # Counts are taken relative to the least compared opener so the pull towards coverage
    # stays as strong at 200 comparisons each as at 2 (1/(1+c)² alone flattens as c grows).
    opener_counts = [comparison_counts.get(proposal_id, 0) for proposal_id in openers]
    fewest = min(opener_counts)
    opener_weights = [1.0 / (1 + count - fewest) ** COVERAGE_EXPONENT for count in opener_counts]
    first = rng.choices(openers, weights=opener_weights)[0]

    first_strength = strengths.get(first)
    partners: list[int] = []
    partner_weights: list[float] = []
    for candidate in eligible:
        if candidate == first:
            continue
        key = pair_key(first, candidate)
        if key in excluded:
            continue
        partners.append(candidate)
        partner_weights.append(
            closeness(first_strength, strengths.get(candidate)) / (1 + pair_counts.get(key, 0)),
        )
    second = rng.choices(partners, weights=partner_weights)[0]
    return (first, second) if rng.random() < 0.5 else (second, first)
