"""A Redis cache backend whose client is shared by the whole process.

Django's RedisCache builds its client (and so its connection pool) per backend
instance, and under ASGI `django.core.cache.caches` gives every request context
its own instance: each request would open fresh TCP connections to Redis, which
showed up in the vote benchmark's profile. redis-py clients are thread-safe and
reset their pools after a fork, so one per process and configuration is enough.
"""

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class SharedClientRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
