"""The integrity monitor against sock puppets, on the simulated crowd of tests/voting/simulation.py, through the services.

120 honest voters (accounts 30 days to 4 years old, 5 % under a week; 100 home networks;
six common browsers) cast the simulated ballots, each seeing their ten proposals. Then 6
sock puppets (5 % of voters: accounts two hours old, one network prefix, one browser,
identical ballots within half an hour) push the median proposal. Without the monitor
they lift it several places; with it the target ends at most one place from where the
honest crowd put it, and at most 1 % of honest ballots are held back.
"""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from integrity.models import QuarantinedBallot
from integrity.services import ballot_context_record, contest_scan
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from tests.voting.simulation import crowd
from voting import services
from voting.exposure import exposures_record
from voting.leaderboard import leaderboard_entries

pytestmark = pytest.mark.django_db

BROWSERS = [f"Mozilla/5.0 browser {n}|zh-CN" for n in range(6)]
PUPPETS = 6


def _cast(voter, proposal, value, *, network, device, at):
    vote = services.vote_cast(voter=voter, proposal=proposal, value=value)
    ballot_context_record(
        vote_id=vote.pk,
        voter_id=voter.pk,
        proposal_id=proposal.pk,
        contest_id=proposal.contest_id,
        value=value,
        network=network,
        device=device,
        cast_at=at,
    )


def _position(contest, proposal) -> int:
    order = [entry.proposal_id for entry in leaderboard_entries(contest=contest, limit=100)]
    return order.index(proposal.pk) + 1


def _run(method: str, seed: int) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    contest = ContestFactory(voting=True, voting_method=method, approval_limit=3, public_ranking="exposure")
    people = crowd(seed)
    proposals = [
        ProposalFactory(contest=contest, submitted_at=now - timedelta(days=10, minutes=n))
        for n in range(len(people.quality))
    ]
    honest = []
    for number in range(len(people.shown)):
        age = rng.uniform(0.5, 6) if rng.random() < 0.05 else rng.uniform(30, 1500)
        voter = UserFactory(date_joined=now - timedelta(days=age))
        network, device = f"10.{rng.randrange(100)}.{rng.randrange(3)}.{rng.randrange(250)}", rng.choice(BROWSERS)
        honest.append(voter.pk)
        exposures_record(viewer=voter, contest=contest, proposal_ids=[proposals[p].pk for p in people.shown[number]])
        ballots = dict.fromkeys(people.supports[number], 1) if method == "approval" else people.updown[number]
        for index, value in ballots.items():
            at = now - timedelta(days=rng.uniform(0, 4))
            _cast(voter, proposals[index], value, network=network, device=device, at=at)
    order = [entry.proposal_id for entry in leaderboard_entries(contest=contest, limit=100)]
    target = next(p for p in proposals if p.pk == order[len(order) // 2])
    baseline = _position(contest, target)
    # Puppets: fresh accounts, one network prefix, one browser, identical ballots within half an hour.
    above = [next(p for p in proposals if p.pk == pk) for pk in order[: baseline - 1]][-2:]
    fillers = [next(p for p in proposals if p.pk == pk) for pk in order[-2:]]
    for number in range(PUPPETS):
        puppet = UserFactory(date_joined=now - timedelta(hours=2))
        if method == "approval":
            ballots = [(target, 1), *((filler, 1) for filler in fillers)]
        else:
            ballots = [(target, 1), *((rival, -1) for rival in above)]
        exposures_record(viewer=puppet, contest=contest, proposal_ids=[proposal.pk for proposal, _ in ballots])
        for proposal, value in ballots:
            at = now - timedelta(minutes=30 - number * 4)
            _cast(puppet, proposal, value, network=f"203.0.113.{10 + number}", device=BROWSERS[0], at=at)
    attacked = _position(contest, target)
    contest_scan(contest=contest)
    defended = _position(contest, target)
    held_honest = QuarantinedBallot.objects.filter(contest=contest, voter_id__in=honest).count()
    honest_ballots = sum(len(people.supports[n]) if method == "approval" else len(people.updown[n]) for n in range(120))
    return {
        "lift_without_monitor": baseline - attacked,
        "moved_with_monitor": abs(baseline - defended),
        "honest_held_share": held_honest / honest_ballots,
        "puppet_ballots_held": QuarantinedBallot.objects.filter(contest=contest).exclude(voter_id__in=honest).count(),
    }


@pytest.mark.parametrize("method", ["approval", "updown"])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_monitor_keeps_sock_puppets_from_moving_the_target_and_spares_honest_voters(method, seed):
    outcome = _run(method, seed)
    print(method, seed, outcome)  # the figures of docs/integrity.md (pytest -s)
    assert outcome["lift_without_monitor"] >= 2, outcome  # the attack works when nobody looks
    assert outcome["moved_with_monitor"] <= 1, outcome
    assert outcome["honest_held_share"] <= 0.01, outcome
    assert outcome["puppet_ballots_held"] == PUPPETS * 3, outcome
