"""Jury maths against hand-computed examples."""

import pytest

from jury.aggregation import (
    ReviewScore,
    combine_results,
    krippendorff_alpha_interval,
    largest_disagreements,
    normalise_per_reviewer,
    proposal_scores,
    weighted_score,
)


def test_weighted_score_is_the_weight_average_of_criterion_scores():
    # (60 × 8 + 40 × 3) / 100 = 6.0
    assert weighted_score({"impact": 8, "cost": 3}, {"impact": 60, "cost": 40}) == pytest.approx(6.0)


def test_normalisation_lifts_a_harsh_reviewer_to_the_pool_scale():
    # Harsh h gives 2 and 4, lenient l gives 8 and 10 to the same two proposals.
    reviews = [
        ReviewScore("h", "p1", 2),
        ReviewScore("h", "p2", 4),
        ReviewScore("l", "p1", 8),
        ReviewScore("l", "p2", 10),
    ]
    # Pool mean 6, pool sd = sqrt(((16 + 4 + 4 + 16) / 4)) = sqrt(10); each reviewer's z is −1, +1.
    normalised = normalise_per_reviewer(reviews)
    root10 = 10**0.5
    assert [round(r.score, 6) for r in normalised] == [round(6 - root10, 6), round(6 + root10, 6)] * 2
    assert proposal_scores(normalised) == {"p1": pytest.approx(6 - root10), "p2": pytest.approx(6 + root10)}


def test_a_reviewer_without_spread_lands_on_the_pool_mean():
    reviews = [ReviewScore("a", "p1", 5), ReviewScore("a", "p2", 5), ReviewScore("b", "p1", 9)]
    pool_mean = (5 + 5 + 9) / 3
    normalised = normalise_per_reviewer(reviews)
    assert [r.score for r in normalised] == [pytest.approx(pool_mean)] * 3


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_overlap():
    agree = [ReviewScore(r, p, s) for r in "ab" for p, s in (("p1", 2), ("p2", 5), ("p3", 9))]
    assert krippendorff_alpha_interval(agree) == pytest.approx(1.0)
    assert krippendorff_alpha_interval([ReviewScore("a", "p1", 3), ReviewScore("b", "p2", 4)]) is None


def test_alpha_matches_a_hand_computed_value():
    # Two coders, three units: (1, 2), (3, 3), (5, 4). Pairable values n = 6.
    # Observed: Do = Σ_units (2 / (m_u − 1)) × Σ_pairs(c − k)² / n over ordered pairs
    #   = (2·1 + 0 + 2·1) / 6 = 4 / 6.
    # Expected: De = Σ over all ordered pairs of the 6 values (c − k)² / (n (n − 1)).
    values = [1, 2, 3, 3, 5, 4]
    expected = sum((a - b) ** 2 for i, a in enumerate(values) for j, b in enumerate(values) if i != j) / 30
    hand_alpha = 1 - (4 / 6) / expected
    reviews = [
        ReviewScore("a", "u1", 1),
        ReviewScore("b", "u1", 2),
        ReviewScore("a", "u2", 3),
        ReviewScore("b", "u2", 3),
        ReviewScore("a", "u3", 5),
        ReviewScore("b", "u3", 4),
    ]
    assert krippendorff_alpha_interval(reviews) == pytest.approx(hand_alpha)


def test_largest_disagreements_lists_widest_spread_first():
    reviews = [
        ReviewScore("a", "calm", 5),
        ReviewScore("b", "calm", 6),
        ReviewScore("a", "split", 1),
        ReviewScore("b", "split", 9),
        ReviewScore("a", "alone", 3),
    ]
    rows = largest_disagreements(reviews)
    assert [row.proposal for row in rows] == ["split", "calm"]
    assert rows[0].spread == pytest.approx(4.0)
    assert (rows[0].low, rows[0].high) == (1, 9)


def test_final_combines_normalised_components_with_the_contest_weights():
    # public 10, 30, 20 → 0, 100, 50; jury 8, 4, 6 → 100, 0, 50.
    # 40/60: A = 60, B = 40, C = 50.
    entries = combine_results(
        proposals=["A", "B", "C"],
        public_scores={"A": 10, "B": 30, "C": 20},
        jury_scores={"A": 8, "B": 4, "C": 6},
        public_weight=40,
        jury_weight=60,
    )
    assert [(e.rank, e.proposal, round(e.final, 6)) for e in entries] == [
        (1, "A", 60.0),
        (2, "C", 50.0),
        (3, "B", 40.0),
    ]
    assert entries[0].public_component == 0 and entries[0].jury_component == 100


def test_unreviewed_proposal_gets_zero_jury_component_and_equal_finals_share_a_rank():
    entries = combine_results(
        proposals=["A", "B", "C"],
        public_scores={"A": 5, "B": 5, "C": 5},
        jury_scores={"A": 7, "B": 7},
        public_weight=50,
        jury_weight=50,
    )
    by_proposal = {e.proposal: e for e in entries}
    assert by_proposal["C"].jury_component == 0 and by_proposal["C"].jury_score is None
    assert by_proposal["A"].final == by_proposal["B"].final == 50.0  # 50 × 50 + 50 × 50 over 100
    assert [e.rank for e in entries] == [1, 1, 2]
