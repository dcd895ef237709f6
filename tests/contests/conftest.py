import pytest

from tests.factories import ContestFactory, MembershipFactory


@pytest.fixture
def other_manager(other_agency):
    """A manager of another agency (B)."""
    return MembershipFactory(agency=other_agency, role="manager", user__display_name="Bo Other").user


@pytest.fixture
def draft(agency):
    return ContestFactory(agency=agency, draft=True, title="Secret draft", slug="secret-draft")


@pytest.fixture
def published(agency):
    return ContestFactory(agency=agency, title="Clean rivers", slug="clean-rivers")
