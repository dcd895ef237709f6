"""The decision record: an append-only, hash-chained log of official acts.

Each entry carries the hash of the entry before it, and its own hash covers every
field (record.chain.entry_hash), so changing, removing or inserting a past row
breaks the chain at that row. Entries are written only by record.services.record_append;
nothing updates or deletes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class RecordEntry(models.Model):
    """One official act: who did what to which object, when, with the facts in `payload`."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    # A plain id, not a foreign key: deleting an account must neither remove nor alter the record.
    actor_id = models.PositiveBigIntegerField(_("actor"), null=True, blank=True)
    kind = models.CharField(_("act"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    # Where the act belongs ("contest:12"), so a contest's page can list its own acts.
    scope = models.CharField(_("scope"), max_length=60, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("decision record entry")
        verbose_name_plural = _("decision record entries")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.object_type}:{self.object_id}"


class RecordHead(models.Model):
    """The single row naming the last entry; appends lock it, so two appends can never fork the chain."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.sequence} {self.hash[:12]}"
