"""Reviewer assignment: property-based tests over random sizes, plus the refusals."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jury.assignment import AssignmentError, assign_reviewers


def _loads(result, reviewers):
    counter = Counter(r for chosen in result.values() for r in chosen)
    return [counter[r] for r in reviewers]


def _check(result, proposals, reviewers, per_proposal, excluded, kept=None):
    kept = kept or {}
    assert set(result) == set(proposals)
    for p in proposals:
        assert len(result[p]) == max(per_proposal, len(kept.get(p, ())))
        assert not result[p] & excluded.get(p, set())
        assert kept.get(p, set()) <= result[p]
    loads = _loads(result, reviewers)
    if loads:
        assert max(loads) - min(loads) <= 1


def _feasible_by_brute_force(proposals, reviewers, per_proposal, excluded) -> bool:
    choices = [
        list(itertools.combinations([r for r in reviewers if r not in excluded.get(p, set())], per_proposal))
        for p in proposals
    ]
    for combo in itertools.product(*choices):
        loads = Counter(r for chosen in combo for r in chosen)
        values = [loads[r] for r in reviewers]
        if max(values) - min(values) <= 1:
            return True
    return False


@st.composite
def instances(draw, max_proposals=40, max_reviewers=10):
    reviewer_count = draw(st.integers(1, max_reviewers))
    proposal_count = draw(st.integers(0, max_proposals))
    per_proposal = draw(st.integers(1, reviewer_count))
    reviewers = [f"r{i}" for i in range(reviewer_count)]
    proposals = list(range(proposal_count))
    excluded = {
        p: set(draw(st.lists(st.sampled_from(reviewers), max_size=reviewer_count - per_proposal, unique=True)))
        for p in proposals
    }
    return proposals, reviewers, per_proposal, excluded, draw(st.integers(0, 2**31))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 12).flatmap(lambda m: st.tuples(st.just(m), st.integers(0, 60), st.integers(1, m))), st.integers()
)
def test_without_conflicts_every_instance_is_assigned_and_balanced(sizes, seed):
    reviewer_count, proposal_count, per_proposal = sizes
    reviewers = list(range(100, 100 + reviewer_count))
    proposals = list(range(proposal_count))
    result = assign_reviewers(proposals=proposals, reviewers=reviewers, per_proposal=per_proposal, seed=seed)
    _check(result, proposals, reviewers, per_proposal, {})


@settings(max_examples=200, deadline=None)
@given(instances())
def test_with_conflicts_a_result_respects_every_constraint_and_is_deterministic(instance):
    proposals, reviewers, per_proposal, excluded, seed = instance
    try:
        result = assign_reviewers(
            proposals=proposals, reviewers=reviewers, per_proposal=per_proposal, excluded=excluded, seed=seed
        )
    except AssignmentError:
        return
    _check(result, proposals, reviewers, per_proposal, excluded)
    again = assign_reviewers(
        proposals=proposals, reviewers=reviewers, per_proposal=per_proposal, excluded=excluded, seed=seed
    )
    assert again == result


@settings(max_examples=200, deadline=None)
@given(instances(max_proposals=4, max_reviewers=4))
def test_assignment_fails_exactly_when_brute_force_finds_no_solution(instance):
    proposals, reviewers, per_proposal, excluded, seed = instance
    feasible = _feasible_by_brute_force(proposals, reviewers, per_proposal, excluded) if proposals else True
    try:
        result = assign_reviewers(
            proposals=proposals, reviewers=reviewers, per_proposal=per_proposal, excluded=excluded, seed=seed
        )
    except AssignmentError:
        assert not feasible
    else:
        assert feasible
        _check(result, proposals, reviewers, per_proposal, excluded)


@settings(max_examples=100, deadline=None)
@given(instances(max_proposals=30, max_reviewers=8), st.data())
def test_reassignment_after_a_withdrawal_keeps_other_assignments(instance, data):
    proposals, reviewers, per_proposal, excluded, seed = instance
    if len(reviewers) <= per_proposal:
        return  # nobody can leave without making R impossible
    try:
        first = assign_reviewers(
            proposals=proposals, reviewers=reviewers, per_proposal=per_proposal, excluded=excluded, seed=seed
        )
    except AssignmentError:
        return
    leaving = data.draw(st.sampled_from(reviewers))
    remaining = [r for r in reviewers if r != leaving]
    kept = {p: chosen - {leaving} for p, chosen in first.items()}
    try:
        second = assign_reviewers(
            proposals=proposals,
            reviewers=remaining,
            per_proposal=per_proposal,
            excluded=excluded,
            kept=kept,
            seed=seed,
        )
    except AssignmentError:
        return
    _check(second, proposals, remaining, per_proposal, excluded, kept)
    assert all(leaving not in chosen for chosen in second.values())


def test_different_seeds_can_give_different_assignments():
    proposals, reviewers = list(range(20)), ["a", "b", "c", "d", "e"]
    results = {
        tuple(
            sorted(
                (p, tuple(sorted(r)))
                for p, r in assign_reviewers(
                    proposals=proposals, reviewers=reviewers, per_proposal=2, seed=seed
                ).items()
            )
        )
        for seed in range(5)
    }
    assert len(results) > 1


def test_more_reviewers_per_proposal_than_eligible_is_a_clear_error():
    with pytest.raises(AssignmentError, match="Proposal 1 has only 1 possible reviewers"):
        assign_reviewers(proposals=[1, 2], reviewers=["a", "b"], per_proposal=2, excluded={1: {"b"}})


def test_conflicts_that_prevent_balance_are_a_clear_error():
    # Every proposal can only go to "a" or "b"; "c" would stay at 0 while the others carry 3.
    excluded = {p: {"c"} for p in range(3)}
    with pytest.raises(AssignmentError, match="No balanced assignment"):
        assign_reviewers(proposals=[0, 1, 2], reviewers=["a", "b", "c"], per_proposal=2, excluded=excluded)


def test_no_reviewers_is_a_clear_error():
    with pytest.raises(AssignmentError, match="no active reviewers"):
        assign_reviewers(proposals=[1], reviewers=[], per_proposal=1)
