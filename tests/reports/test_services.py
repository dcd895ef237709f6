import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from PIL import ExifTags, Image

from notifications.models import Notification, Subscription
from reports.models import MeToo, Report, ReportPhoto
from reports.photos import photo_location
from reports.selectors import reports_nearby
from reports.services import metoo_add
from reports.workflow import report_merge, report_status_change
from tests.factories import UserFactory
from tests.reports.helpers import CENTRE, jpeg_bytes, photo_upload, report_make

pytestmark = pytest.mark.django_db


def test_a_report_is_routed_and_its_photo_stored_without_exif(citizen, category):
    report = report_make(citizen, photos=[photo_upload()])
    assert report.agency == category.agency
    photo = ReportPhoto.objects.get(report=report)
    with Image.open(photo.image.path) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert 0x0110 not in exif
    assert Subscription.objects.filter(user=citizen, object_id=report.pk).exists()


def test_the_photo_location_is_read_from_exif():
    location = photo_location(photo_upload(jpeg_bytes(gps=(-33.8688, 151.2093))))
    assert abs(location.latitude + 33.8688) < 1e-4
    assert abs(location.longitude - 151.2093) < 1e-4
    assert photo_location(photo_upload(jpeg_bytes())) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"point": (95, 121.47)}, "location"),
        ({"point": (31.4, 121.6)}, "location"),
        ({"code": "nope"}, "category"),
        ({"description": "  "}, "description"),
        ({"photos": [photo_upload(b"not an image at all", name="x.jpg")]}, "photos"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(citizen, category, kwargs, field):
    with pytest.raises(ValidationError) as error:
        report_make(citizen, **kwargs)
    assert field in error.value.message_dict
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0


def test_a_photo_over_the_pixel_budget_is_refused(citizen, category, settings):
    settings.IMAGE_MAX_PIXELS = 1000  # the site's budget for every image
    with pytest.raises(ValidationError, match="too many pixels"):
        report_make(citizen, photos=[photo_upload(jpeg_bytes(size=(100, 100)))])
    assert Report.objects.count() == 0


def test_nearby_finds_reports_within_50_metres_only(citizen, category):
    near = report_make(citizen, point=(CENTRE[0] + 0.0003, CENTRE[1]))  # ~33 m north
    report_make(citizen, point=(CENTRE[0] + 0.0006, CENTRE[1]))  # ~67 m north
    found = list(reports_nearby(latitude=CENTRE[0], longitude=CENTRE[1], category_code="streetlight"))
    assert [report.pk for report in found] == [near.pk]
    assert 30 < found[0].distance_m < 36


def test_me_too_counts_once_per_person(citizen, category):
    report = report_make(citizen)
    neighbour = UserFactory()
    assert metoo_add(user=neighbour, report=report) is True
    assert metoo_add(user=neighbour, report=report) is False
    report.refresh_from_db()
    assert report.me_too_count == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_me_toos_keep_the_count_exact(citizen, category):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    report = report_make(citizen)
    users = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(users))

    def add(user):
        barrier.wait()
        metoo_add(user=user, report=report)
        connection.close()

    threads = [threading.Thread(target=add, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.refresh_from_db()
    assert report.me_too_count == MeToo.objects.filter(report=report).count() == 6


def test_status_changes_follow_the_workflow_and_tell_reporter_and_followers(citizen, category, staff):
    report = report_make(citizen)
    follower = UserFactory()
    metoo_add(user=follower, report=report)
    report_status_change(report=report, author=staff, status="acknowledged", note="On our list.")
    assert Notification.objects.filter(recipient=citizen, kind="report_status").count() == 1
    assert Notification.objects.filter(recipient=follower, kind="followed_report_status").count() == 1
    with pytest.raises(ValidationError):
        report_status_change(report=report, author=staff, status="acknowledged")
    with pytest.raises(ValidationError, match="Say which agency"):
        report_status_change(report=report, author=staff, status="closed", close_reason="not_ours")
    report_status_change(report=report, author=staff, status="fixed", note="New bulb.")
    assert [update.status for update in report.updates.all()] == ["open", "acknowledged", "fixed"]


def test_merging_moves_followers_and_me_toos(citizen, category, staff):
    target = report_make(citizen)
    other = UserFactory()
    source = report_make(other, point=(CENTRE[0] + 0.0001, CENTRE[1]))
    third = UserFactory()
    metoo_add(user=third, report=source)
    report_merge(source=source, target=target, author=staff)
    target.refresh_from_db()
    source.refresh_from_db()
    assert target.me_too_count == 2  # the third person and the source's reporter
    assert set(MeToo.objects.filter(report=target).values_list("user_id", flat=True)) == {other.pk, third.pk}
    assert source.status == "closed" and source.close_reason == "duplicate" and source.merged_into == target
    assert Subscription.objects.filter(object_id=target.pk, user__in=[other, third]).count() == 2
    assert Notification.objects.filter(recipient=other, kind="report_merged").exists()
