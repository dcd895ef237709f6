"""Verification levels: the ways a person proves more than an email address, and which one an action needs.

A contest chooses the level voting and submitting need (`contests.rules.verification_refusal`).
Each method is a `VerificationMethod` in the `verification_methods` registry, keyed by level:
`email` (the default, django-allauth's verified primary address) and `phone` (an SMS one-time
code) are here; `census` (an agency's list of salted ID-number hashes) is registered by
agencies. A method stores no more than it needs: keyed hashes, never a phone or ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PhoneChallenge, PhoneVerification, User
from accounts.rules import is_verified
from common.background import task_on_commit
from common.ratelimit import rates_exceeded
from common.registry import Registry

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
CODE_ATTEMPTS = 5
CODES_PER_USER = "3/600"  # three codes per ten minutes
_PHONE = re.compile(r"\+?[0-9]{6,15}")


@dataclass(frozen=True)
class VerificationMethod:
    """One level: its name, whether a user has it (for the agency running the contest), and where to get it."""

    level: str
    label: object
    is_met: Callable[[User, object], bool]
    how_to: object  # a sentence telling the person where to verify


verification_methods: Registry[str, VerificationMethod] = Registry("verification_methods")


def _keyed(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def phone_normalise(raw: str) -> str:
    phone = re.sub(r"[\s()\-.]", "", raw or "")
    if not _PHONE.fullmatch(phone):
        raise ValidationError(
            {"phone": _("Enter a phone number of 6 to 15 digits, with + and country code if abroad.")}
        )
    return phone


def has_verified_phone(user, agency=None) -> bool:
    if not is_verified(user):
        return False
    cached = getattr(user, "_civitas_phone_verified", None)
    if cached is None:
        cached = PhoneVerification.objects.filter(user_id=user.pk).exists()
        user._civitas_phone_verified = cached
    return cached


@transaction.atomic
def phone_code_send(*, user: User, phone: str) -> None:
    """Send a one-time code to the number (after commit, through `SMS_BACKEND`); only its hash is kept."""
    phone = phone_normalise(phone)
    phone_hash = _keyed(f"phone:{phone}")
    if PhoneVerification.objects.filter(phone_hash=phone_hash).exclude(user=user).exists():
        raise ValidationError({"phone": _("This number already verifies another account.")})
    if rates_exceeded([(f"sms:user:{user.pk}", CODES_PER_USER)]):
        raise ValidationError({"phone": _("Too many codes requested. Wait ten minutes and try again.")})
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    PhoneChallenge.objects.update_or_create(
        user=user,
        defaults={
            "phone_hash": phone_hash,
            "code_hash": _keyed(f"code:{user.pk}:{code}"),
            "expires_at": timezone.now() + CODE_LIFETIME,
            "attempts": 0,
        },
    )
    from accounts.tasks import sms_send

    text = _("Your Civitas code is %(code)s. It expires in 10 minutes.") % {"code": code}
    task_on_commit(sms_send, phone, text, run_here_if_broker_down=True)


@transaction.atomic
def phone_code_confirm(*, user: User, code: str) -> PhoneVerification:
    """Check the code; on success the number (its hash) verifies this account."""
    challenge = PhoneChallenge.objects.select_for_update().filter(user=user).first()
    if challenge is None or challenge.expires_at < timezone.now() or challenge.attempts >= CODE_ATTEMPTS:
        raise ValidationError({"code": _("This code has expired. Ask for a new one.")})
    given = re.sub(r"\s", "", code or "")
    if not hmac.compare_digest(_keyed(f"code:{user.pk}:{given}"), challenge.code_hash):
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        raise ValidationError({"code": _("That code is not right. Check the message and try again.")})
    challenge.delete()
    try:
        with transaction.atomic():
            verification, _created = PhoneVerification.objects.update_or_create(
                user=user, defaults={"phone_hash": challenge.phone_hash}
            )
    except IntegrityError as error:
        raise ValidationError({"code": _("This number already verifies another account.")}) from error
    user._civitas_phone_verified = True
    return verification


verification_methods.register(
    "email",
    VerificationMethod(
        level="email",
        label=gettext_lazy("Verified email address"),
        is_met=lambda user, agency=None: is_verified(user),
        how_to=gettext_lazy("Verify your email address first."),
    ),
)
verification_methods.register(
    "phone",
    VerificationMethod(
        level="phone",
        label=gettext_lazy("Verified phone number (SMS code)"),
        is_met=has_verified_phone,
        how_to=gettext_lazy("Verify your phone number on your account's verification page first."),
    ),
)
