"""Ranking maths against hand-computed worked examples (docs/voting-and-ranking.md)."""

import math
import random
from datetime import UTC, datetime

import choix
import numpy as np
import pytest

from voting.ranking import (
    PAIRWISE_NEUTRAL_SCORE,
    STARS_NEUTRAL_MEAN,
    TallyRow,
    bayesian_average,
    bradley_terry,
    chance_to_win,
    contest_mean,
    normalise_0_100,
    rank_entries,
    wilson_lower_bound,
)


def at(hour: int) -> datetime:
    return datetime(2026, 11, 27, hour, 0, tzinfo=UTC)


# --- Wilson lower bound -------------------------------------------------------------------
# z = 1.959963984540054, z² = 3.8414588206941254.


def test_wilson_lower_bound_is_zero_without_votes():
    assert wilson_lower_bound(0, 0) == 0.0


def test_wilson_lower_bound_of_a_single_up_vote():
    # n = 1, p̂ = 1: centre = 1 + z²/2, spread = z·√(0 + z²/4) = z²/2,
    # so LB = 1 / (1 + z²) = 1 / 4.8414588206941254 = 0.2065493143…
    assert wilson_lower_bound(1, 0) == pytest.approx(0.2065493144, abs=1e-9)


def test_wilson_lower_bound_of_eight_up_two_down():
    # n = 10, p̂ = 0.8
    # centre = 0.8 + z²/20 = 0.8 + 0.1920729410 = 0.9920729410
    # spread = z·√(0.8·0.2/10 + z²/400) = z·√(0.016 + 0.0096036471) = 1.95996·0.1600114 = 0.3136165745
    # LB = (0.9920729410 − 0.3136165745) / (1 + z²/10) = 0.6784563665 / 1.3841458821 = 0.4901624715
    assert wilson_lower_bound(8, 2) == pytest.approx(0.4901624715, abs=1e-9)


def test_wilson_lower_bound_of_a_split_vote():
    # n = 10, p̂ = 0.5: centre = 0.6920729410, spread = z·√(0.025 + 0.0096036471) = 0.3645935891
    # LB = 0.3274793519 / 1.3841458821 = 0.2365930905
    assert wilson_lower_bound(5, 5) == pytest.approx(0.2365930905, abs=1e-9)


def test_wilson_lower_bound_is_zero_for_only_down_votes():
    # p̂ = 0: centre = z²/2n and spread = z·√(z²/4n²) = z²/2n cancel exactly.
    assert wilson_lower_bound(0, 3) == pytest.approx(0.0, abs=1e-12)


def test_wilson_lower_bound_rewards_more_evidence_at_the_same_share():
    # 80/20 has the same share as 8/2 but a narrower interval: LB = 0.7111708344.
    assert wilson_lower_bound(80, 20) == pytest.approx(0.7111708344, abs=1e-9)
    assert wilson_lower_bound(80, 20) > wilson_lower_bound(8, 2) > wilson_lower_bound(1, 0)


def test_wilson_lower_bound_refuses_negative_counts():
    with pytest.raises(ValueError):
        wilson_lower_bound(-1, 2)


# --- Stars: Bayesian average --------------------------------------------------------------


def test_contest_mean_without_votes_is_the_scale_midpoint():
    assert contest_mean(0, 0) == STARS_NEUTRAL_MEAN == 3.0


def test_contest_mean_is_stars_over_votes():
    # 103 stars over 25 votes = 4.12
    assert contest_mean(103, 25) == pytest.approx(4.12)


def test_bayesian_average_worked_example():
    # Prior C = 4.12, m = 5.
    # one 5-star vote:        (5·4.12 + 5)  / (5 + 1)  = 25.6 / 6   = 4.26667
    # twenty votes, 90 stars: (5·4.12 + 90) / (5 + 20) = 110.6 / 25 = 4.424
    # four votes, 8 stars:    (5·4.12 + 8)  / (5 + 4)  = 28.6 / 9   = 3.17778
    assert bayesian_average(5, 1, 4.12) == pytest.approx(4.266667, abs=1e-6)
    assert bayesian_average(90, 20, 4.12) == pytest.approx(4.424, abs=1e-9)
    assert bayesian_average(8, 4, 4.12) == pytest.approx(3.177778, abs=1e-6)


def test_bayesian_average_without_votes_is_the_prior_mean():
    assert bayesian_average(0, 0, 3.7) == pytest.approx(3.7)


def test_bayesian_average_honours_the_prior_weight():
    # m = 1: (1·3 + 5) / (1 + 1) = 4
    assert bayesian_average(5, 1, 3.0, prior_weight=1) == pytest.approx(4.0)


# --- Pairwise: Bradley–Terry --------------------------------------------------------------


def test_bradley_terry_single_comparison_with_the_default_prior():
    # A beat B once, α = 1. MM fixed point pᵢ = (Wᵢ + 1) / (Σ nᵢⱼ/(pᵢ+pⱼ) + 1).
    # With s = p_A + p_B: p_A = 2/(1/s + 1), p_B = 1/(1/s + 1), so s = 3s/(1 + s), s = 2,
    # p_A = 4/3, p_B = 2/3. Chance to win: A 100·(4/3)/2 = 66.67, B 33.33.
    strengths = bradley_terry([("A", "B")])
    assert strengths["A"] == pytest.approx(4 / 3, abs=1e-7)
    assert strengths["B"] == pytest.approx(2 / 3, abs=1e-7)
    scores = chance_to_win(strengths, ["A", "B"])
    assert scores["A"] == pytest.approx(66.6667, abs=1e-3)
    assert scores["B"] == pytest.approx(33.3333, abs=1e-3)


def test_bradley_terry_matches_the_maximum_likelihood_worked_example():
    # A–B 2:1, B–C 1:1. Zermelo's equations Wᵢ = Σⱼ nᵢⱼ pᵢ/(pᵢ+pⱼ) hold for p = (2, 1, 1):
    #   A: 2 = 3·2/3;  B: 2 = 3·1/3 + 2·1/2;  C: 1 = 2·1/2.
    # Chance to win: A mean(2/3, 2/3) = 66.67; B mean(1/3, 1/2) = 41.67; C = 41.67.
    # A vanishing prior (α = 1e-6) gives the maximum-likelihood estimate.
    comparisons = [("A", "B"), ("A", "B"), ("B", "A"), ("B", "C"), ("C", "B")]
    strengths = bradley_terry(comparisons, alpha=1e-6, tol=1e-12, max_iter=100_000)
    assert strengths["A"] / strengths["B"] == pytest.approx(2.0, rel=1e-4)
    assert strengths["C"] / strengths["B"] == pytest.approx(1.0, rel=1e-4)
    scores = chance_to_win(strengths, ["A", "B", "C"])
    assert scores["A"] == pytest.approx(200 / 3, abs=1e-2)
    assert scores["B"] == pytest.approx(125 / 3, abs=1e-2)
    assert scores["C"] == pytest.approx(125 / 3, abs=1e-2)


def test_bradley_terry_agrees_with_choix_on_random_data():
    rng = random.Random(7)
    n = 30
    comparisons = []
    for _ in range(400):
        a, b = rng.sample(range(n), 2)
        comparisons.append((a, b) if rng.random() < (a + 1) / (a + b + 2) else (b, a))
    ours = bradley_terry(comparisons, tol=1e-12, max_iter=100_000)
    reference = choix.mm_pairwise(n, comparisons, alpha=1.0, tol=1e-12, max_iter=100_000)
    # choix returns log-strengths centred on 0; only ratios carry meaning.
    logs = np.array([math.log(ours[i]) for i in range(n)])
    assert np.max(np.abs((logs - logs.mean()) - reference)) < 1e-6


def test_bradley_terry_warm_start_reaches_the_same_strengths():
    rng = random.Random(11)
    comparisons = [tuple(rng.sample(range(20), 2)) for _ in range(200)]
    previous = bradley_terry(comparisons[:150])
    cold = bradley_terry(comparisons)
    warm = bradley_terry(comparisons, initial=previous | {"gone": 3.0, 0: -1.0})
    assert warm.keys() == cold.keys()
    for proposal_id, strength in cold.items():
        assert warm[proposal_id] == pytest.approx(strength, rel=1e-4)


def test_bradley_terry_keeps_an_unbeaten_proposal_finite():
    strengths = bradley_terry([("A", "B")] * 50 + [("B", "C")] * 50)
    assert all(math.isfinite(value) and value > 0 for value in strengths.values())
    assert strengths["A"] > strengths["B"] > strengths["C"]


def test_bradley_terry_without_comparisons_is_empty():
    assert bradley_terry([]) == {}


def test_bradley_terry_refuses_self_comparison_and_a_missing_prior():
    with pytest.raises(ValueError):
        bradley_terry([("A", "A")])
    with pytest.raises(ValueError):
        bradley_terry([("A", "B")], alpha=0)


def test_uncompared_proposals_score_fifty_and_do_not_dilute_the_others():
    strengths = bradley_terry([("A", "B")])
    scores = chance_to_win(strengths, ["A", "B", "C", "D"])
    assert scores["C"] == scores["D"] == PAIRWISE_NEUTRAL_SCORE
    assert scores["A"] == pytest.approx(66.6667, abs=1e-3)


def test_chance_to_win_averages_fifty_over_compared_proposals():
    rng = random.Random(3)
    comparisons = [tuple(rng.sample(range(40), 2)) for _ in range(300)]
    strengths = bradley_terry(comparisons)
    scores = chance_to_win(strengths, list(range(40)))
    assert sum(scores.values()) / 40 == pytest.approx(50.0, abs=1e-9)
    assert all(0 < score < 100 for score in scores.values())


def test_chance_to_win_of_a_lone_proposal_is_fifty():
    assert chance_to_win({"A": 3.0}, ["A"]) == {"A": 50.0}


# --- normalise_0_100 ----------------------------------------------------------------------


def test_normalise_maps_min_to_zero_and_max_to_hundred():
    # spread 6 − 2 = 4: 2 → 0, 4 → 100·2/4 = 50, 6 → 100, 3 → 25
    assert normalise_0_100([2, 4, 6, 3]) == [0.0, 50.0, 100.0, 25.0]


def test_normalise_of_equal_values_is_fifty_each():
    assert normalise_0_100([7, 7, 7]) == [50.0, 50.0, 50.0]
    assert normalise_0_100([1.5]) == [50.0]


def test_normalise_of_nothing_is_nothing():
    assert normalise_0_100([]) == []


# --- rank_entries -------------------------------------------------------------------------


def _summary(ranked):
    return [(row.rank, row.proposal_id, row.score, row.votes) for row in ranked]


def test_updown_ranking_orders_by_wilson_then_net_then_earliest():
    entries = [
        TallyRow(1, "eight-two", at(10), up=8, down=2),  # LB 0.4902, net 6
        TallyRow(2, "one-up", at(9), up=1),  # LB 0.2065
        TallyRow(3, "split", at(11), up=5, down=5),  # LB 0.2366
        TallyRow(4, "no votes", at(12)),  # LB 0, net 0
        TallyRow(5, "disliked", at(8), down=3),  # LB 0, net −3: below "no votes" despite being earlier
        TallyRow(6, "eight-two later", at(13), up=8, down=2),  # same result as 1, submitted later
    ]
    assert _summary(rank_entries(entries, "updown")) == [
        (1, 1, 49.02, 10),
        (1, 6, 49.02, 10),
        (2, 3, 23.66, 10),
        (3, 2, 20.65, 1),
        (4, 4, 0.0, 0),
        (5, 5, 0.0, 3),
    ]


def test_approval_ranking_orders_by_supports_then_earliest():
    entries = [
        TallyRow(1, "a", at(10), supports=3),
        TallyRow(2, "b", at(11), supports=5),
        TallyRow(3, "c", at(9), supports=3),
        TallyRow(4, "d", at(8)),
    ]
    assert _summary(rank_entries(entries, "approval")) == [
        (1, 2, 5.0, 5),
        (2, 3, 3.0, 3),
        (2, 1, 3.0, 3),
        (3, 4, 0.0, 0),
    ]


def test_stars_ranking_uses_the_contest_mean_as_prior():
    # Contest: 5 + 90 + 8 = 103 stars over 1 + 20 + 4 = 25 votes, mean 4.12 (see the
    # Bayesian average example): twenty votes averaging 4.5 (4.424) beat one 5 (4.267);
    # an unrated proposal sits at the contest mean, 4.12, above four votes averaging 2.
    entries = [
        TallyRow(1, "one five", at(9), star_sum=5, star_count=1),
        TallyRow(2, "twenty", at(10), star_sum=90, star_count=20),
        TallyRow(3, "four twos", at(11), star_sum=8, star_count=4),
        TallyRow(4, "unrated", at(12)),
    ]
    assert _summary(rank_entries(entries, "stars")) == [
        (1, 2, 4.42, 20),
        (2, 1, 4.27, 1),
        (3, 4, 4.12, 0),
        (4, 3, 3.18, 4),
    ]


def test_stars_ranking_takes_the_contest_prior_when_ranking_a_subset():
    # Only two rows of a contest whose mean is 2.0, prior weight 2:
    # five votes, 20 stars: (2·2 + 20) / (2 + 5) = 24/7 = 3.43
    # no votes: the prior mean itself, 2.0
    entries = [TallyRow(1, "rated", at(9), star_sum=20, star_count=5), TallyRow(2, "unrated", at(10))]
    ranked = rank_entries(entries, "stars", stars_prior_mean=2.0, stars_prior_weight=2)
    assert _summary(ranked) == [(1, 1, 3.43, 5), (2, 2, 2.0, 0)]


def test_stars_ranking_without_any_vote_puts_everyone_at_the_midpoint():
    entries = [TallyRow(2, "b", at(10)), TallyRow(1, "a", at(10)), TallyRow(3, "c", at(9))]
    assert _summary(rank_entries(entries, "stars")) == [(1, 3, 3.0, 0), (1, 1, 3.0, 0), (1, 2, 3.0, 0)]


def test_pairwise_ranking_orders_by_score_then_comparisons_then_earliest():
    entries = [
        TallyRow(1, "a", at(9), pairwise_score=200 / 3, comparisons=3),
        TallyRow(2, "b", at(10), pairwise_score=125 / 3, comparisons=5),
        TallyRow(3, "c", at(8), pairwise_score=125 / 3, comparisons=2),
        TallyRow(4, "d", at(11)),
    ]
    assert _summary(rank_entries(entries, "pairwise")) == [
        (1, 1, 66.67, 3),
        (2, 4, 50.0, 0),
        (3, 2, 41.67, 5),
        (4, 3, 41.67, 2),
    ]


def test_rank_entries_lists_unsubmitted_rows_last_within_a_tie():
    entries = [TallyRow(1, "draft", None, supports=2), TallyRow(2, "late", at(23), supports=2)]
    assert [row.proposal_id for row in rank_entries(entries, "approval")] == [2, 1]


def test_rank_entries_of_an_empty_contest_is_empty():
    assert rank_entries([], "updown") == []


def test_rank_entries_refuses_an_unknown_method():
    with pytest.raises(ValueError):
        rank_entries([TallyRow(1, "a", at(9))], "borda")


def test_rank_entries_ties_floating_point_noise():
    # 0.1 + 0.2 != 0.3 in binary floating point; the ranking must still call it a tie.
    entries = [
        TallyRow(1, "a", at(9), pairwise_score=0.1 + 0.2),
        TallyRow(2, "b", at(10), pairwise_score=0.3),
    ]
    assert [row.rank for row in rank_entries(entries, "pairwise")] == [1, 1]
