"""Census verification: an agency's list of salted ID-number hashes, and citizens claiming their entry.

Registered as the `census` verification level (accounts.verification) in agencies.apps.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_verified
from accounts.verification import VerificationMethod
from agencies.models import Agency, CensusEntry, CensusList

_HASH = re.compile(r"[0-9a-f]{64}")
MAX_ENTRIES = 2_000_000


def census_hash(*, salt: str, id_number: str) -> str:
    """sha256(salt + ID number), the ID upper-cased without spaces: what the agency computes for each line."""
    normalised = re.sub(r"\s", "", id_number or "").upper()
    return hashlib.sha256(f"{salt}{normalised}".encode()).hexdigest()


def census_of(agency: Agency) -> CensusList:
    """The agency's list, created with a fresh random salt the first time it is needed."""
    census, _created = CensusList.objects.get_or_create(agency=agency, defaults={"salt": secrets.token_hex(16)})
    return census


@transaction.atomic
def census_upload(*, agency: Agency, lines: list[str]) -> tuple[int, int]:
    """Add the listed hashes and drop unclaimed ones no longer listed; returns (listed now, added).

    Each line is one lower-case hex sha256; a line that is not one refuses the whole upload,
    so an ID number sent by mistake is never stored.
    """
    census = census_of(agency)
    hashes = set()
    for number, line in enumerate(lines, start=1):
        value = line.strip().lower()
        if not value:
            continue
        if not _HASH.fullmatch(value):
            raise ValidationError(
                _("Line %(line)s is not a sha256 hash: upload hashes only, never ID numbers.") % {"line": number}
            )
        hashes.add(value)
    if len(hashes) > MAX_ENTRIES:
        raise ValidationError(_("A census list holds at most %(max)s entries.") % {"max": MAX_ENTRIES})
    existing = set(census.entries.values_list("id_hash", flat=True))
    census.entries.filter(claimed_by__isnull=True).exclude(id_hash__in=hashes).delete()
    added = hashes - existing
    CensusEntry.objects.bulk_create((CensusEntry(census=census, id_hash=value) for value in added), batch_size=5000)
    census.save(update_fields=["updated_at"])
    return census.entries.count(), len(added)


@transaction.atomic
def census_claim(*, user, agency: Agency, id_number: str) -> CensusEntry:
    """Match the ID number against the agency's list and tie the entry to this account (one account per entry).

    The ID number is hashed here and not kept anywhere.
    """
    census = CensusList.objects.filter(agency=agency).first()
    if census is None:
        raise ValidationError(_("This agency has no census list yet."))
    entry = (
        CensusEntry.objects.select_for_update()
        .filter(census=census, id_hash=census_hash(salt=census.salt, id_number=id_number))
        .first()
    )
    if entry is None:
        raise ValidationError({"id_number": _("This number is not on the agency's list.")})
    if entry.claimed_by_id == user.pk:
        return entry
    if entry.claimed_by_id is not None:
        raise ValidationError({"id_number": _("This number already verifies another account.")})
    entry.claimed_by, entry.claimed_at = user, timezone.now()
    try:
        with transaction.atomic():
            entry.save(update_fields=["claimed_by", "claimed_at"])
    except IntegrityError as error:
        raise ValidationError(_("Your account is already verified on this agency's list.")) from error
    return entry


def is_on_census(user, agency=None) -> bool:
    if agency is None or not is_verified(user):
        return False
    cache = user.__dict__.setdefault("_civitas_census", {})
    if agency.pk not in cache:
        cache[agency.pk] = CensusEntry.objects.filter(census__agency_id=agency.pk, claimed_by_id=user.pk).exists()
    return cache[agency.pk]


CENSUS_METHOD = VerificationMethod(
    level="census",
    label=gettext_lazy("On the agency's census list"),
    is_met=is_on_census,
    how_to=gettext_lazy("Verify yourself against the agency's census list on the agency's page first."),
)
