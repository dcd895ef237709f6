"""Reads of the decision record for pages and the API."""

from django.db.models import QuerySet

from record.chain import time_text
from record.models import RecordEntry


def record_entries(*, scope: str = "", after: int = 0) -> QuerySet[RecordEntry]:
    """Entries in chain order, optionally of one scope ("contest:12") and after a sequence number."""
    entries = RecordEntry.objects.order_by("sequence")
    if scope:
        entries = entries.filter(scope=scope)
    if after:
        entries = entries.filter(sequence__gt=after)
    return entries


def record_entry_data(entry: RecordEntry) -> dict:
    """An entry as the public JSON shows it: every field the hash covers, plus the hash."""

    return {
        "sequence": entry.sequence,
        "time": time_text(entry.created_at),
        "actor": entry.actor_id,
        "kind": entry.kind,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "scope": entry.scope,
        "payload": entry.payload,
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
    }
