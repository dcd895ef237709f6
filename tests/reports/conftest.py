import pytest

from tests.factories import MembershipFactory
from tests.reports.helpers import category_make


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def category(agency):
    return category_make(agency)


@pytest.fixture
def staff(agency):
    return MembershipFactory(agency=agency, role="staff", user__display_name="Sam Staff").user
