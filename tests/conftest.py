import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, captured email, and a clean cache (rate-limit counters) for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
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
