import pytest

from tests.microtasks.factories import CampaignFactory


@pytest.fixture
def campaign(agency):
    return CampaignFactory(agency=agency, title="Bus stop timetables")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
