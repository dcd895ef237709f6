"""How an entry's hash is computed: pure functions, so anyone can re-check the chain from the JSON export.

    hash = sha256(canonical JSON of {sequence, time, actor, kind, object_type, object_id,
                                     scope, payload, previous_hash})

Canonical JSON: keys sorted, no spaces, UTF-8, times in UTC ISO 8601 with microseconds.
docs/decision-record.md gives a worked example.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from record.models import GENESIS_HASH


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no whitespace, non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def normalise_payload(payload: dict) -> dict:
    """The payload as it reads back from the database (dates as text, tuples as lists)."""
    return json.loads(canonical_json(payload))


def time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    sequence: int,
    created_at: datetime,
    actor_id: int | None,
    kind: str,
    object_type: str,
    object_id: str,
    scope: str,
    payload: dict,
    previous_hash: str,
) -> str:
    body = {
        "sequence": sequence,
        "time": time_text(created_at),
        "actor": actor_id,
        "kind": kind,
        "object_type": object_type,
        "object_id": str(object_id),
        "scope": scope,
        "payload": payload,
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def hash_of(entry) -> str:
    """The hash the entry should carry, recomputed from its fields."""
    return entry_hash(
        sequence=entry.sequence,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        kind=entry.kind,
        object_type=entry.object_type,
        object_id=entry.object_id,
        scope=entry.scope,
        payload=entry.payload,
        previous_hash=entry.previous_hash,
    )


@dataclass(frozen=True)
class ChainProblem:
    """A broken link: the entry (by sequence and database id) and what is wrong with it."""

    sequence: int
    entry_id: int | None
    problem: str

    def as_dict(self) -> dict:
        return {"sequence": self.sequence, "entry_id": self.entry_id, "problem": self.problem}


def chain_problems(entries, *, head_sequence: int, head_hash: str) -> tuple[int, list[ChainProblem]]:
    """Walk the entries in sequence order; (entries checked, problems found).

    Checks, per entry: its sequence follows the previous one (no gap, no insertion),
    its previous_hash is the previous entry's hash, and its hash matches its fields.
    Finally the last entry must be the head (no entry removed from the end).
    """
    problems: list[ChainProblem] = []
    expected_sequence, previous = 1, GENESIS_HASH
    count = 0
    last_sequence, last_hash = 0, GENESIS_HASH
    for entry in entries:
        count += 1
        if entry.sequence != expected_sequence:
            problems.append(
                ChainProblem(entry.sequence, entry.pk, f"sequence {entry.sequence} where {expected_sequence} was due")
            )
        if entry.previous_hash != previous:
            problems.append(ChainProblem(entry.sequence, entry.pk, "previous hash does not match the entry before"))
        if hash_of(entry) != entry.hash:
            problems.append(ChainProblem(entry.sequence, entry.pk, "hash does not match the entry's contents"))
        previous, expected_sequence = entry.hash, entry.sequence + 1
        last_sequence, last_hash = entry.sequence, entry.hash
    if (last_sequence, last_hash) != (head_sequence, head_hash):
        problems.append(
            ChainProblem(
                head_sequence, None, f"the head names entry {head_sequence} but the chain ends at {last_sequence}"
            )
        )
    return count, problems
