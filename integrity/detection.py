"""The monitor's signals: pure functions over the facts of a contest's ballots (no ORM).

| signal | a ballot has it when |
| --- | --- |
| `new_account` | the account was under NEW_ACCOUNT_DAYS old and had cast no ballot before |
| `burst` | it is one of BURST_BALLOTS or more new-account ballots on the same proposal within BURST_WINDOW |
| `shared_network` | SHARED_NETWORK_VOTERS or more accounts voted on the same proposal from its network prefix |
| `shared_device` | SHARED_DEVICE_VOTERS or more accounts voted in the contest from the same network and device |
| `co_voting` | its voter's ballots in the contest (at least two) are identical to those of CO_VOTING_GROUP − 1 others |
| `author_network` | it comes from a network the proposal's author voted from |

A ballot with QUARANTINE_SCORE signals or more is held back. One signal alone is common
among honest people (a new account, a campus network, a popular pair of proposals); the
simulation in tests/integrity measures both sides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

NEW_ACCOUNT_DAYS = 7
BURST_BALLOTS = 5
BURST_WINDOW = timedelta(hours=1)
SHARED_NETWORK_VOTERS = 4
SHARED_DEVICE_VOTERS = 3
CO_VOTING_GROUP = 3
QUARANTINE_SCORE = 2

SIGNALS = ("new_account", "burst", "shared_network", "shared_device", "co_voting", "author_network")


@dataclass(frozen=True, slots=True)
class BallotFacts:
    context_id: int
    voter_id: int
    proposal_id: int
    value: int
    network: str
    device: str
    account_age_days: float
    prior_ballots: int
    cast_at: datetime


def _is_new(ballot: BallotFacts) -> bool:
    return ballot.account_age_days < NEW_ACCOUNT_DAYS and ballot.prior_ballots == 0


def ballot_signals(
    ballots: Iterable[BallotFacts], *, author_networks: Mapping[int, set[str]] | None = None
) -> dict[int, list[str]]:
    """{context_id: [signal, …]} for every ballot of one contest."""
    ballots = list(ballots)
    author_networks = author_networks or {}
    found: dict[int, list[str]] = {ballot.context_id: [] for ballot in ballots}

    new_by_proposal: dict[int, list[BallotFacts]] = defaultdict(list)
    voters_by_network: dict[tuple[int, str], set[int]] = defaultdict(set)
    voters_by_device: dict[tuple[str, str], set[int]] = defaultdict(set)
    ballots_of_voter: dict[int, dict[int, int]] = defaultdict(dict)
    for ballot in ballots:
        if _is_new(ballot):
            found[ballot.context_id].append("new_account")
            new_by_proposal[ballot.proposal_id].append(ballot)
        voters_by_network[(ballot.proposal_id, ballot.network)].add(ballot.voter_id)
        voters_by_device[(ballot.network, ballot.device)].add(ballot.voter_id)
        ballots_of_voter[ballot.voter_id][ballot.proposal_id] = ballot.value

    for group in new_by_proposal.values():
        group.sort(key=lambda ballot: ballot.cast_at)
        start = 0
        in_burst: set[int] = set()
        for end, ballot in enumerate(group):
            while ballot.cast_at - group[start].cast_at > BURST_WINDOW:
                start += 1
            if end - start + 1 >= BURST_BALLOTS:
                in_burst.update(item.context_id for item in group[start : end + 1])
        for context_id in in_burst:
            found[context_id].append("burst")

    patterns: dict[frozenset, int] = defaultdict(int)
    for votes in ballots_of_voter.values():
        if len(votes) >= 2:
            patterns[frozenset(votes.items())] += 1

    for ballot in ballots:
        signals = found[ballot.context_id]
        if len(voters_by_network[(ballot.proposal_id, ballot.network)]) >= SHARED_NETWORK_VOTERS:
            signals.append("shared_network")
        if len(voters_by_device[(ballot.network, ballot.device)]) >= SHARED_DEVICE_VOTERS:
            signals.append("shared_device")
        votes = ballots_of_voter[ballot.voter_id]
        if len(votes) >= 2 and patterns[frozenset(votes.items())] >= CO_VOTING_GROUP:
            signals.append("co_voting")
        if ballot.network in author_networks.get(ballot.proposal_id, ()):
            signals.append("author_network")
    return found


def is_suspicious(signals: list[str]) -> bool:
    return len(signals) >= QUARANTINE_SCORE
