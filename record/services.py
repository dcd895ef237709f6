"""Appending to the decision record, and checking it. The only writes to record tables are here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from record.chain import ChainProblem, chain_problems, entry_hash, normalise_payload
from record.models import RecordEntry, RecordHead

HEAD_PK = 1


def _head_locked() -> RecordHead:
    """The head row, locked until the caller's transaction ends.

    A write comes first (an UPDATE that changes nothing), because it takes the row lock on
    PostgreSQL and the database's write lock on SQLite before anything is read: a second
    append waits here and then reads the head the first one left.
    """
    heads = RecordHead.objects.filter(pk=HEAD_PK)
    if not heads.update(sequence=F("sequence")):
        RecordHead.objects.bulk_create([RecordHead(pk=HEAD_PK)], ignore_conflicts=True)
        heads.update(sequence=F("sequence"))
    return heads.get()


@transaction.atomic
def record_append(
    *,
    kind: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    scope: str = "",
    actor=None,
    payload: dict | None = None,
) -> RecordEntry:
    """Append one official act, chained to the last entry, inside the caller's transaction.

    The act and its entry commit or roll back together. `target` names the object (its
    model name and pk) unless object_type/object_id are given; `actor` is the user who
    acted, None for the system (a timer). Appends are serialised on the head row, so
    concurrent appends get consecutive sequences and never fork the chain.
    """
    if target is not None:
        object_type = object_type or target._meta.model_name
        object_id = object_id or target.pk
    payload = normalise_payload(payload or {})
    head = _head_locked()
    entry = RecordEntry(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", actor),
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        scope=scope,
        payload=payload,
        previous_hash=head.hash,
    )
    entry.hash = entry_hash(
        sequence=entry.sequence,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        kind=kind,
        object_type=object_type,
        object_id=entry.object_id,
        scope=scope,
        payload=payload,
        previous_hash=entry.previous_hash,
    )
    entry.save()
    RecordHead.objects.filter(pk=HEAD_PK).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def contest_scope(contest_id: int) -> str:
    return f"contest:{contest_id}"


@dataclass(frozen=True)
class RecordVerification:
    entries: int
    head_sequence: int
    head_hash: str
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": {"sequence": self.head_sequence, "hash": self.head_hash},
            "problems": [problem.as_dict() for problem in self.problems],
        }


def record_head() -> RecordHead:
    """The current head (sequence 0 and the genesis hash while the record is empty)."""
    return RecordHead.objects.filter(pk=HEAD_PK).first() or RecordHead(pk=HEAD_PK)


def _entries_in_order(chunk: int = 2000) -> Iterator[RecordEntry]:
    return RecordEntry.objects.order_by("sequence").iterator(chunk_size=chunk)


def record_verify() -> RecordVerification:
    """Re-hash the whole chain and compare it with the head; every broken entry is named."""
    with transaction.atomic():  # one consistent view of entries and head
        head = record_head()
        count, problems = chain_problems(_entries_in_order(), head_sequence=head.sequence, head_hash=head.hash)
    return RecordVerification(entries=count, head_sequence=head.sequence, head_hash=head.hash, problems=problems)
