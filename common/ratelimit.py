"""Rate limits on writes: one engine for pages and API, per account and per client IP.

Each scope's rate comes from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] ("120/min").
Counting uses fixed windows: with Redis, one pipelined round trip increments the
account's and the IP's counters; without it, the local-memory cache. The client
IP follows DRF's rule (X-Forwarded-For trusted only through NUM_PROXIES proxies).
If Redis is down the write is let through: refusing every citizen because the
counter store is away would be worse, and the database constraints still hold.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# An ASGI fast lane (voting.api.fastlane) that already counted a request puts {scope: wait or None}
# under this key of the ASGI scope, so the request is not counted twice when it goes on to Django.
COUNTED_SCOPE_KEY = "civitas.rate_counted"
_redis_client = None
_redis_lock = threading.Lock()


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, period in seconds) from "10/min" (DRF's form: s, m, h, d) or "10/60" (seconds)."""
    count, period = rate.split("/")
    return int(count), int(period) if period.isdigit() else _PERIODS[period[0]]


def _limit(scope: str) -> tuple[int, int] | None:
    """(requests, period in seconds) of the scope, or None when it has no rate."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    return parse_rate(rate) if rate else None


def _redis():
    global _redis_client
    with _redis_lock:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        return _redis_client


def _count(keys: list[str], period: int) -> list[int]:
    """Add one hit to each counter of the current window and return the new counts."""
    return _count_each([(key, period) for key in keys])


def _count_each(counters: list[tuple[str, int]]) -> list[int]:
    """Add one hit to each (key, period) counter of its current window, in one round trip with Redis."""
    now = time.time()
    buckets = [(rate_limit_bucket(key, period, now), period) for key, period in counters]
    if settings.REDIS_URL:
        pipeline = _redis().pipeline(transaction=False)
        for bucket, period in buckets:
            pipeline.incr(bucket)
            pipeline.expire(bucket, period + 1, nx=True)
        return pipeline.execute()[0::2]
    counts = []
    for bucket, period in buckets:
        if cache.add(bucket, 1, timeout=period + 1):
            counts.append(1)
        else:
            try:
                counts.append(cache.incr(bucket))
            except ValueError:  # expired between add and incr: first hit of a new window
                counts.append(1)
    return counts


def rate_limit_bucket(key: str, period: int, now: float) -> str:
    """The Redis/cache key of `key`'s counter in the fixed window holding `now`."""
    return f"{settings.CHANNEL_PREFIX}:ratelimit:{key}:{int(now // period)}"


def client_ip(request) -> str:
    return BaseThrottle().get_ident(request)


def rate_limit_wait(request, scope: str = "write") -> int | None:
    """Seconds to wait if this write exceeds the scope's rate for the account or the IP; None if it may go ahead."""
    limit = _limit(scope)
    if limit is None:
        return None
    counted = getattr(request, "scope", None) or {}
    if scope in counted.get(COUNTED_SCOPE_KEY, {}):
        return counted[COUNTED_SCOPE_KEY][scope]
    allowed, period = limit
    keys = [f"{scope}:ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"{scope}:user:{request.user.pk}")
    try:
        counts = _count(keys, period)
    except Exception:  # noqa: BLE001 - counter store down: let the write through
        logger.warning("Rate-limit store unavailable; allowing a %s write", scope)
        return None
    if max(counts) <= allowed:
        return None
    return max(1, period - int(time.time()) % period)


def rates_exceeded(limits: list[tuple[str, str]]) -> bool:
    """Count one hit on each (key, rate) counter; True if any is now over its rate. A rate of 0 means no limit."""
    parsed = [(key, *parse_rate(rate)) for key, rate in limits]
    active = [(key, allowed, period) for key, allowed, period in parsed if allowed > 0]
    if not active:
        return False
    try:
        counts = _count_each([(key, period) for key, _allowed, period in active])
    except Exception:  # noqa: BLE001 - counter store down: let the write through
        logger.warning("Rate-limit store unavailable; allowing a write")
        return False
    return any(count > allowed for count, (_key, allowed, _period) in zip(counts, active, strict=True))


def write_rate_limited(request, scope: str = "write") -> bool:
    return rate_limit_wait(request, scope) is not None


class WriteRateLimitMixin:
    """For form views: refuse POSTs over the scope's rate with a 429 page that says to wait."""

    rate_limit_scope = "write"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and write_rate_limited(request, self.rate_limit_scope):
            from django.shortcuts import render

            return render(request, "429.html", status=429)
        return super().dispatch(request, *args, **kwargs)
