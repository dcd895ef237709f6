"""Caps on live-board websockets: open connections per client address (in this process) and client
messages per second per socket. Over either, the consumer closes the socket with CLOSE_TOO_MANY (4429).

The connection count is per server process: N processes allow N × WEBSOCKET_MAX_CONNECTIONS_PER_IP
from one address; a proxy in front can cap it site-wide.
"""

import threading
import time
from collections import Counter

from django.conf import settings

CLOSE_TOO_MANY = 4429

_open: Counter[str] = Counter()
_lock = threading.Lock()


def client_address(scope) -> str:
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, the one they appended to X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                hops = [hop.strip() for hop in value.decode("latin-1").split(",") if hop.strip()]
                if hops:
                    return hops[-min(proxies, len(hops))]
    client = scope.get("client")
    return client[0] if client else "unknown"


def connection_open(address: str) -> bool:
    """Count one more socket from `address`; False (and nothing counted) when it is over the cap."""
    cap = settings.WEBSOCKET_MAX_CONNECTIONS_PER_IP
    with _lock:
        if cap and _open[address] >= cap:
            return False
        _open[address] += 1
        return True


def connection_close(address: str) -> None:
    with _lock:
        _open[address] -= 1
        if _open[address] <= 0:
            del _open[address]


class MessageRate:
    """Client messages of one socket in the current one-second window."""

    def __init__(self) -> None:
        self.window = 0
        self.count = 0

    def allow(self) -> bool:
        cap = settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND
        now = int(time.monotonic())
        if now != self.window:
            self.window, self.count = now, 0
        self.count += 1
        return not cap or self.count <= cap
