"""Pairwise pair selection: validity, coverage and preference for undecided pairs."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.pairing import CLOSENESS_FLOOR, choose_pair, closeness, pair_key


def draw(ids, *, counts=None, pair_counts=None, strengths=None, excluded=(), own=(), seed=1):
    return choose_pair(
        proposal_ids=ids,
        comparison_counts=counts or {},
        pair_counts=pair_counts or {},
        strengths=strengths or {},
        excluded_pairs=excluded,
        own_proposal_ids=own,
        rng=random.Random(seed),
    )


def test_closeness_worked_examples():
    # equal strengths: p = 1/2, 4p(1−p) = 1 → 1
    assert closeness(2.0, 2.0) == pytest.approx(1.0)
    # 3 vs 1: p = 3/4, 4·3/4·1/4 = 0.75 → 0.05 + 0.95·0.75 = 0.7625
    assert closeness(3.0, 1.0) == pytest.approx(0.7625)
    # 19 vs 1: p = 0.95, 4·0.95·0.05 = 0.19 → 0.05 + 0.95·0.19 = 0.2305
    assert closeness(1.0, 19.0) == pytest.approx(0.2305)
    # unknown strength: nothing known, as informative as a coin flip
    assert closeness(None, 5.0) == 1.0
    # never below the floor
    assert closeness(1e9, 1.0) == pytest.approx(CLOSENESS_FLOOR, abs=1e-6)


def test_pair_key_ignores_order():
    assert pair_key(7, 3) == pair_key(3, 7) == (3, 7)


def test_no_pair_with_fewer_than_two_proposals():
    assert draw([]) is None
    assert draw([1]) is None


def test_no_pair_when_only_own_proposals_remain():
    assert draw([1, 2, 3], own=[2, 3]) is None


def test_no_pair_when_every_pair_is_judged():
    assert draw([1, 2, 3], excluded=[(1, 2), (3, 1), (2, 3)]) is None


def test_the_last_unjudged_pair_is_found():
    ids = list(range(1, 7))
    all_pairs = list(itertools.combinations(ids, 2))
    excluded = [pair for pair in all_pairs if pair != (2, 5)]
    for seed in range(20):
        assert sorted(draw(ids, excluded=excluded, seed=seed)) == [2, 5]


def test_same_seed_gives_the_same_pair_and_seeds_vary_it():
    ids = list(range(50))
    assert draw(ids, seed=42) == draw(ids, seed=42)
    assert len({draw(ids, seed=seed) for seed in range(20)}) > 1


def test_every_proposal_is_covered_and_counts_stay_balanced():
    # Simulate a contest: after each judgement the counts grow as the service would record them.
    rng = random.Random(2026)
    ids = list(range(30))
    counts: Counter[int] = Counter()
    pair_counts: Counter[tuple[int, int]] = Counter()
    for _ in range(600):
        first, second = choose_pair(
            proposal_ids=ids,
            comparison_counts=counts,
            pair_counts=pair_counts,
            strengths={},
            excluded_pairs=(),
            own_proposal_ids=(),
            rng=rng,
        )
        counts[first] += 1
        counts[second] += 1
        pair_counts[pair_key(first, second)] += 1
    assert set(counts) == set(ids)
    # 1,200 appearances over 30 proposals is 40 each; the coverage weight keeps them close
    # (a uniform opener draw spreads them over 32–53 with this seed).
    assert min(counts.values()) >= 36
    assert max(counts.values()) <= 45


def test_a_new_proposal_is_favoured_until_it_catches_up():
    ids = list(range(10))
    counts = dict.fromkeys(range(9), 40) | {9: 0}
    appearances = Counter()
    for seed in range(300):
        appearances.update(draw(ids, counts=counts, seed=seed))
    # Opener weight 1/(1+0−0)² against 1/(1+40−0)² each for the others: the newcomer opens almost always.
    assert appearances[9] > 250


def test_well_separated_pairs_are_drawn_less_often_than_close_ones():
    # A and B are close (1 vs 1.1), C is far ahead (20). Counts equal, so each opens a third
    # of the time; A then takes B with weight ≈ 0.998 against C ≈ 0.222 (and B likewise),
    # so {A, B} ≈ 54 % of draws, {A, C} ≈ 22 %, {B, C} ≈ 24 %.
    strengths = {"A": 1.0, "B": 1.1, "C": 20.0}
    drawn = Counter(pair_key(*draw(["A", "B", "C"], strengths=strengths, seed=seed)) for seed in range(3000))
    assert drawn[("A", "B")] > 2 * drawn[("A", "C")]
    assert drawn[("A", "B")] > 2 * drawn[("B", "C")]
    assert drawn[("A", "C")] > 0  # the floor keeps separated pairs possible


def test_often_judged_pairs_are_drawn_less_often():
    pair_counts = {("A", "B"): 9}
    drawn = Counter(pair_key(*draw(["A", "B", "C"], pair_counts=pair_counts, seed=seed)) for seed in range(3000))
    assert drawn[("A", "C")] > 2 * drawn[("A", "B")]
    assert drawn[("B", "C")] > 2 * drawn[("A", "B")]


def test_either_proposal_can_appear_on_either_side():
    counts = {"new": 0, "old": 100}
    sides = Counter(draw(["new", "old"], counts=counts, seed=seed)[0] for seed in range(400))
    assert sides["new"] > 100 and sides["old"] > 100


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    size=st.integers(min_value=0, max_value=7),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_drawn_pairs_are_always_allowed_and_none_only_when_nothing_is_left(data, size, seed):
    ids = list(range(size))
    all_pairs = list(itertools.combinations(ids, 2))
    own = data.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))
    excluded = data.draw(st.lists(st.sampled_from(all_pairs)) if all_pairs else st.just([]))
    # Exclusions arrive in either order.
    excluded = [pair[::-1] if index % 2 else pair for index, pair in enumerate(excluded)]
    counts = {i: data.draw(st.integers(0, 50)) for i in ids}
    strengths = {i: data.draw(st.floats(0.01, 100)) for i in ids if data.draw(st.booleans())}
    excluded_keys = {pair_key(*pair) for pair in excluded}
    allowed = [pair for pair in all_pairs if pair not in excluded_keys and not (set(pair) & own)]

    result = draw(ids, counts=counts, strengths=strengths, excluded=excluded, own=own, seed=seed)

    if not allowed:
        assert result is None
    else:
        assert result is not None
        first, second = result
        assert first != second
        assert pair_key(first, second) in allowed
