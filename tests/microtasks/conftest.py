import pytest

from tests.microtasks.factories import CampaignFactory


@pytest.fixture
def campaign(agency):
    return CampaignFactory(agency=agency, title="Bus stop timetables")
