"""Rate limits for page (form) writes, sharing the API's rates and client-IP rules.

The API throttles with DRF; pages use `write_rate_limited(request, scope)`, which
counts the same scopes (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) per account and
per client IP in the cache (Redis when REDIS_URL is set). A cache outage lets the
request through: refusing every write because Redis is down would be worse.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class _Identity(SimpleRateThrottle):
    """Only used for DRF's parsing of rates and its client-IP rule (X-Forwarded-For with NUM_PROXIES)."""

    rate = "1/s"

    def get_cache_key(self, request, view):  # pragma: no cover - not used
        return None


def _limit(scope: str) -> tuple[int, int] | None:
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    return _Identity().parse_rate(rate) if rate else None


def _hit(key: str, limit: int, period: int) -> bool:
    """Count one hit in the current fixed window; True if still within the limit."""
    window = int(time.time() // period)
    bucket = f"ratelimit:{key}:{window}"
    try:
        if cache.add(bucket, 1, timeout=period + 1):
            return True
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr: this is the first hit of a new window
        return True
    except Exception:  # noqa: BLE001 - cache down: let the write through rather than refuse everyone
        logger.warning("Rate-limit cache unavailable; allowing %s", key)
        return True


def write_rate_limited(request, scope: str = "write") -> bool:
    """True if this write should be refused: the account or the client IP exceeded the scope's rate."""
    parsed = _limit(scope)
    if parsed is None:
        return False
    limit, period = parsed
    ident = _Identity().get_ident(request)
    allowed = _hit(f"{scope}:ip:{ident}", limit, period)
    if request.user.is_authenticated:
        allowed = _hit(f"{scope}:user:{request.user.pk}", limit, period) and allowed
    return not allowed


class WriteRateLimitMixin:
    """For form views: refuse POSTs over the scope's rate with a 429 page that says to wait."""

    rate_limit_scope = "write"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and write_rate_limited(request, self.rate_limit_scope):
            from django.shortcuts import render

            return render(request, "429.html", status=429)
        return super().dispatch(request, *args, **kwargs)
