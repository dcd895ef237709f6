import pytest

from reports.demo import REPORTS, seed_reports_demo
from reports.models import Report, ReportPhoto, ServiceCategory

pytestmark = pytest.mark.django_db


def test_the_demo_reports_are_seeded_once_in_every_status():
    assert seed_reports_demo() == len(REPORTS)
    assert seed_reports_demo() == 0
    assert Report.objects.count() == len(REPORTS) and ServiceCategory.objects.count() == 4
    assert set(Report.objects.values_list("status", flat=True)) == {
        "open",
        "acknowledged",
        "in_progress",
        "fixed",
        "closed",
    }
    assert ReportPhoto.objects.count() == len(REPORTS)
