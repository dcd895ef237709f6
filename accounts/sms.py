"""Sending text messages: a provider interface and the backends shipped with Civitas.

`SMS_BACKEND` (settings) names the class. A provider (Aliyun, Tencent Cloud, Twilio, …)
is a class with `send(phone, text)` that raises on failure; nothing else in Civitas
depends on which one runs. The console backend prints messages (development); the
memory backend keeps them in `outbox` (tests).
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Writes each message to standard output instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


outbox: list[tuple[str, str]] = []


class MemorySmsBackend:
    """Keeps messages in `accounts.sms.outbox` (tests)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
