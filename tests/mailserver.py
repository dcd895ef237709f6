"""A real SMTP server on 127.0.0.1 that a test (or a benchmark) owns: aiosmtpd in a thread.

It can be stopped and started again on the same port (a mail server that is down, then back),
and can hold new sessions before their greeting completes (a mail server that hangs), so a test
can kill a worker while it is in the middle of a send.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: email.message.Message

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: SMTPSink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.sink.sessions_started.set()
        while self.sink.holding.is_set():
            await asyncio.sleep(0.02)
        return responses

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.received.append(Received(tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SMTPSink:
    """`start()`, `stop()`, `start()` again on the same port; `received` lists every accepted message."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.sessions_started = threading.Event()
        self._controller: Controller | None = None

    def start(self) -> SMTPSink:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.holding.clear()
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        """Wait until at least `count` messages arrived (or the timeout passed); returns all of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages()) < count:
            time.sleep(0.05)
        return self.messages()
