from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, MembershipFactory, UserFactory

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def pytest_configure(config):
    """Compile translation catalogues that are missing or older than their .po, so a bare `pytest` sees Chinese."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, captured email (delivered from the outbox to mail.outbox), and a clean cache (rate-limit counters) for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"  # Django's test setup swaps in locmem
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No proof of work unless a test asks for it (tests/common/test_pow.py): test clients run no JavaScript.
    settings.POW_SIGNUP_DIFFICULTY = 0
    settings.POW_VOTE_RATE = "0/60"
    cache.clear()
    yield
    # A leaderboard push scheduled by this test must finish before its database goes away.
    from live.publisher import publisher

    publisher.wait_idle(timeout=3)
    cache.clear()


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Ada Citizen")


@pytest.fixture
def unverified_user(db):
    return UserFactory(display_name="Uma Unverified", verified=False)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="City Water", slug="city-water")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Transport", slug="transport")


@pytest.fixture
def agency_manager(agency):
    return MembershipFactory(agency=agency, role="manager", user__display_name="Mara Manager").user


@pytest.fixture
def agency_admin(agency):
    return MembershipFactory(agency=agency, role="admin", user__display_name="Wen Admin").user


@pytest.fixture
def site_admin(db):
    return UserFactory(display_name="Site Admin", is_superuser=True, is_staff=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus: before it is dropped, end sessions that background threads
    (leaderboard publisher, live servers) still hold, which would block DROP DATABASE on PostgreSQL."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
