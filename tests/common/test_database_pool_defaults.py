"""With PostgreSQL the connection pool is on without any setting, sized from the web processes per machine."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'pool': db.get('OPTIONS', {}).get('pool'), 'conn_max_age': db['CONN_MAX_AGE']}))"
)


def _database_settings(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "WEB_CONCURRENCY"))}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


PG = "postgres://postgres@127.0.0.1:5432/civitas"


@pytest.mark.parametrize(
    ("env", "max_size"),
    [
        ({"WEB_CONCURRENCY": "2"}, 37),  # 3/4 of 100 connections over 2 processes
        ({"WEB_CONCURRENCY": "8"}, 9),
        ({"WEB_CONCURRENCY": "4", "DATABASE_MAX_CONNECTIONS": "400"}, 75),
        ({"WEB_CONCURRENCY": "64"}, 4),  # never below 4
        ({"DATABASE_POOL_MAX_SIZE": "12"}, 12),
    ],
)
def test_the_pool_is_on_by_default_with_postgresql(env, max_size):
    database = _database_settings(DATABASE_URL=PG, **env)
    assert database["pool"]["max_size"] == max_size
    assert database["conn_max_age"] == 0


def test_an_operator_can_turn_the_pool_off_and_sqlite_has_none():
    assert _database_settings(DATABASE_URL=PG, DATABASE_POOL_MAX_SIZE="0")["pool"] is None
    assert _database_settings()["pool"] is None
