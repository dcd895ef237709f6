"""Production settings pass Django's deployment checks; unsafe ones refuse to load."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from agencies.models import Agency, AgencyMembership
from contests.models import Contest

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter (no pytest in sys.modules, so no test defaults)."""
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_env(**overrides: str) -> dict[str, str]:
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(45)[:60], "ALLOWED_HOSTS": "civitas.example.gov"}
    env.update(overrides)
    return env


def test_check_deploy_is_clean_with_production_env():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stderr


def test_check_deploy_catches_a_weak_secret_key():
    # Proves the check above can fail: a short key is reported.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_must_be_a_boolean():
    result = _manage("check", **_production_env(DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


# --- seed_demo ------------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, EmailAddress, Agency, AgencyMembership, Contest)}


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["Agency"] == 3
    assert first["User"] == 10 + 300 + 2  # named accounts, the simulated crowd, two reviewers
    assert User.objects.get(email="ada@example.org").has_perm("accounts.act_as_citizen")
    water = Agency.objects.get(slug="city-water")
    assert User.objects.get(email="water.admin@example.org").has_perm("agencies.change_agency", water)


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert _counts()["Agency"] == 0


@pytest.mark.django_db
def test_seed_demo_runs_with_force_when_debug_is_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert Agency.objects.count() == 3


def test_each_parallel_test_worker_gets_its_own_redis_database_and_channel_prefix_once():
    show = "from django.conf import settings; print(settings.REDIS_URL, settings.CHANNEL_PREFIX, settings.CELERY_BROKER_URL)"
    env = {
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/4",
        "CHANNEL_PREFIX": "civitas",
        "PYTEST_XDIST_WORKER": "gw1",
    }
    worker = _manage("shell", "-c", show, **env, CIVITAS_TEST_WORKER_REDIS="")
    assert worker.returncode == 0, worker.stderr
    assert worker.stdout.splitlines()[-1].split() == [
        "redis://127.0.0.1:6379/5",
        "civitasgw1",
        "redis://127.0.0.1:6379/5",
    ]
    # A server or Celery worker that test starts inherits the adjusted values and keeps them.
    child = _manage("shell", "-c", show, **env, CIVITAS_TEST_WORKER_REDIS="1")
    assert child.stdout.splitlines()[-1].split() == ["redis://127.0.0.1:6379/4", "civitas", "redis://127.0.0.1:6379/4"]
