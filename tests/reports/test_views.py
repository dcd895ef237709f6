import pytest
from django.urls import reverse

from notifications.models import Notification
from reports.models import MeToo, Report, ReportPhoto
from tests.factories import UserFactory
from tests.reports.helpers import CENTRE, OUTSIDE, jpeg_bytes, photo_upload, report_make

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = {
        "latitude": CENTRE[0],
        "longitude": CENTRE[1],
        "category": "streetlight",
        "description": "The lamp on the corner is out.",
        "photos": [photo_upload()],
    }
    data.update(overrides)
    return client.post(reverse("reports:create"), {key: value for key, value in data.items() if value is not None})


def test_a_verified_citizen_reports_a_problem_with_a_photo(client, citizen, category):
    client.force_login(citizen)
    response = _post(client)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url())
    assert "The lamp on the corner is out." in page.content.decode()
    photo = ReportPhoto.objects.get()
    served = client.get(reverse("reports:photo", args=[report.pk, photo.pk]))
    assert served.status_code == 200 and b"TestCam" not in b"".join(served.streaming_content)


def test_without_coordinates_the_photo_location_is_used(client, citizen, category):
    client.force_login(citizen)
    _post(client, latitude="", longitude="", photos=[photo_upload(jpeg_bytes(gps=(31.2310, 121.4740)))])
    report = Report.objects.get()
    assert abs(report.latitude - 31.2310) < 1e-4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": 91}, "less than or equal to 90"),
        ({"longitude": -181}, "greater than or equal to -180"),
        ({"latitude": OUTSIDE[0], "longitude": OUTSIDE[1]}, "No agency covers this place"),
        ({"photos": [photo_upload(b"%PDF-1.4 not an image", name="x.jpg")]}, "not a valid image"),
        ({"category": "potholes"}, "Select a valid choice"),
        ({"latitude": "", "longitude": "", "photos": [photo_upload(jpeg_bytes())]}, "Give the place"),
    ],
)
def test_bad_reports_are_refused_with_a_clear_message_and_nothing_stored(client, citizen, category, overrides, message):
    client.force_login(citizen)
    response = _post(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_photo_over_the_size_budget_is_refused(client, citizen, category, settings):
    settings.REPORT_PHOTO_MAX_BYTES = 500
    client.force_login(citizen)
    response = _post(client, photos=[photo_upload(jpeg_bytes(size=(400, 300)))])
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert Report.objects.count() == 0


def test_unverified_people_cannot_report_and_anonymous_ones_are_sent_to_sign_in(client, unverified_user, category):
    assert client.get(reverse("reports:create")).status_code == 302
    client.force_login(unverified_user)
    assert _post(client).status_code == 403
    assert Report.objects.count() == 0


def test_an_anonymous_report_hides_the_name_from_the_public_but_not_from_staff(client, citizen, category, staff):
    report = report_make(citizen, is_anonymous=True)
    assert "Ada Citizen" not in client.get(report.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert "Ada Citizen" in client.get(report.get_absolute_url()).content.decode()


def test_nearby_and_me_too_instead_of_a_second_report(client, citizen, category):
    report = report_make(citizen)
    neighbour = UserFactory()
    client.force_login(neighbour)
    nearby = client.get(
        reverse("reports:nearby"), {"lat": CENTRE[0] + 0.0002, "lng": CENTRE[1], "category": "streetlight"}
    )
    assert [item["id"] for item in nearby.json()["results"]] == [report.pk]
    url = reverse("reports:metoo", args=[report.pk])
    assert client.post(url, HTTP_ACCEPT="application/json").json() == {"me_too": 1}
    second = client.post(url, HTTP_ACCEPT="application/json")
    assert second.status_code == 409 and "already" in second.json()["detail"]
    assert MeToo.objects.count() == 1


def test_the_reporter_cannot_me_too_their_own_report(client, citizen, category):
    report = report_make(citizen)
    client.force_login(citizen)
    assert client.post(reverse("reports:metoo", args=[report.pk])).status_code == 403
    assert MeToo.objects.count() == 0


def test_nearby_refuses_points_off_the_earth(client):
    assert client.get(reverse("reports:nearby"), {"lat": 100, "lng": 0}).status_code == 400


def test_status_changes_by_non_staff_are_refused(client, citizen, category, other_agency):
    from tests.factories import MembershipFactory

    report = report_make(citizen)
    outsider = MembershipFactory(agency=other_agency, role="staff").user
    for user in (citizen, outsider):
        client.force_login(user)
        response = client.post(reverse("reports:status", args=[report.pk]), {"status": "fixed", "note": "done"})
        assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "open" and report.updates.count() == 1


def test_staff_acknowledge_and_fix_and_the_reporter_is_told(client, citizen, category, staff):
    report = report_make(citizen)
    client.force_login(staff)
    url = reverse("reports:status", args=[report.pk])
    assert client.post(url, {"status": "acknowledged", "note": "We will send a crew."}).status_code == 302
    assert client.post(url, {"status": "fixed", "note": "New bulb fitted."}).status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "We will send a crew." in page and "New bulb fitted." in page
    assert Notification.objects.filter(recipient=citizen, kind="report_status").count() == 2
    refused = client.post(url, {"status": "in_progress"})
    assert refused.status_code == 400 and "cannot become" in refused.content.decode()


def test_the_map_list_works_without_javascript_and_filters(client, citizen, category):
    report_make(citizen, description="Dark corner")
    fixed = report_make(citizen, description="Was broken", point=(31.25, 121.45))
    Report.objects.filter(pk=fixed.pk).update(status="fixed")
    page = client.get(reverse("reports:map"), {"status": "fixed"}).content.decode()
    assert "Was broken" in page and "Dark corner" not in page


def test_geojson_for_a_box(client, citizen, category, django_assert_max_num_queries):
    for index in range(5):
        report_make(citizen, point=(CENTRE[0] + index * 0.001, CENTRE[1]))
    with django_assert_max_num_queries(2):
        data = client.get(reverse("reports:geojson"), {"bbox": "121.4,31.2,121.5,31.3"}).json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 5
    assert client.get(reverse("reports:geojson"), {"bbox": "x"}).status_code == 400


def test_the_queue_is_for_staff_overdue_first(client, citizen, category, staff, django_assert_max_num_queries):
    late = report_make(citizen, description="Late one")
    report_make(citizen, description="Fresh one")
    Report.objects.filter(pk=late.pk).update(due_at="2020-01-01T00:00:00Z")
    url = reverse("reports:queue", args=[category.agency.slug])
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.index("Late one") < page.index("Fresh one")


def test_bulk_status_change_with_a_rejection_reason(client, citizen, category, staff):
    first, second = report_make(citizen), report_make(citizen)
    client.force_login(staff)
    url = reverse("reports:queue", args=[category.agency.slug])
    response = client.post(
        url,
        {
            "reports": [first.pk, second.pk],
            "status": "closed",
            "close_reason": "cannot_fix",
            "rejection_reason": "blurry_photo",
        },
    )
    assert response.status_code == 302
    assert set(Report.objects.values_list("status", "rejection_reason")) == {("closed", "blurry_photo")}


def test_a_parent_agency_sees_and_reassigns_a_sub_agency_report(client, citizen, category):
    from tests.factories import AgencyFactory, MembershipFactory
    from tests.reports.helpers import category_make

    city = AgencyFactory(name="City hall", slug="city-hall")
    category.agency.parent = city
    category.agency.save()
    district = AgencyFactory(name="District roads", slug="district-roads", parent=city)
    target = category_make(district, code="road-light", name="Road light")
    overseer = MembershipFactory(agency=city, role="staff").user
    report = report_make(citizen)
    client.force_login(overseer)
    queue = client.get(reverse("reports:queue", args=["city-hall"])).content.decode()
    assert f"#{report.pk} Broken streetlight" in queue
    response = client.post(reverse("reports:reassign", args=[report.pk]), {"category": target.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.agency == district and report.category == target
    # Staff of the district cannot pass it to an agency they do not oversee.
    district_staff = MembershipFactory(agency=district, role="staff").user
    client.force_login(district_staff)
    refused = client.post(reverse("reports:reassign", args=[report.pk]), {"category": category.pk})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.agency == district
