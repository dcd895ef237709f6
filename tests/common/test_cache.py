"""The Redis cache client is shared by the process, not rebuilt per request context."""

import threading

import pytest
from django.conf import settings
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def test_cache_instances_in_different_threads_share_one_redis_client():
    clients = []

    def grab():
        clients.append(caches.create_connection("default")._cache)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in clients}) == 1
    caches["default"].set("shared-client-check", 1, 5)
    assert caches.create_connection("default").get("shared-client-check") == 1
