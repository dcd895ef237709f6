import pytest
from rest_framework.test import APIClient

from reports.models import Report
from tests.factories import UserFactory
from tests.reports.helpers import CENTRE, OUTSIDE, photo_upload, report_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _data(**overrides):
    return {
        "category": "streetlight",
        "latitude": CENTRE[0],
        "longitude": CENTRE[1],
        "description": "Dark lamp",
        **overrides,
    }


def test_report_through_the_api_with_a_photo_and_read_it(api, citizen, category):
    api.force_authenticate(citizen)
    response = api.post("/api/v1/reports/", {**_data(), "photos": [photo_upload()]}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agency"] == "city-water" and body["status"] == "open" and len(body["photos"]) == 1
    assert body["reporter"] == "Ada Citizen" and "email" not in str(body)
    api.force_authenticate(None)
    assert api.get(f"/api/v1/reports/{body['id']}/").json()["updates"][0]["status"] == "open"
    assert api.get("/api/v1/reports/").json()["count"] == 1


def test_api_refuses_bad_input_and_stores_nothing(api, citizen, unverified_user, category):
    assert api.post("/api/v1/reports/", _data(), format="json").status_code == 401
    api.force_authenticate(unverified_user)
    assert api.post("/api/v1/reports/", _data(), format="json").status_code == 403
    api.force_authenticate(citizen)
    outside = api.post("/api/v1/reports/", _data(latitude=OUTSIDE[0], longitude=OUTSIDE[1]), format="json")
    assert outside.status_code == 400 and "No agency covers this place" in str(outside.json())
    assert api.post("/api/v1/reports/", _data(latitude=100), format="json").status_code == 400
    assert Report.objects.count() == 0


def test_me_too_and_staff_status_through_the_api(api, citizen, category, staff):
    report = report_make(citizen)
    api.force_authenticate(UserFactory())
    assert api.post(f"/api/v1/reports/{report.pk}/metoo/").json()["me_too_count"] == 1
    assert api.post(f"/api/v1/reports/{report.pk}/metoo/").status_code == 409
    assert api.post(f"/api/v1/reports/{report.pk}/status/", {"status": "fixed"}, format="json").status_code == 404
    api.force_authenticate(staff)
    response = api.post(
        f"/api/v1/reports/{report.pk}/status/", {"status": "acknowledged", "note": "Seen"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    bad = api.post(
        f"/api/v1/reports/{report.pk}/status/", {"status": "closed", "close_reason": "not_ours"}, format="json"
    )
    assert bad.status_code == 400


def test_nearby_and_categories(api, citizen, category):
    report_make(citizen, is_anonymous=True)
    nearby = api.get("/api/v1/reports/nearby/", {"lat": CENTRE[0], "lng": CENTRE[1]}).json()
    assert len(nearby) == 1 and nearby[0]["reporter"] is None and nearby[0]["distance_m"] < 1
    assert [item["code"] for item in api.get("/api/v1/report-categories/").json()] == ["streetlight"]


def test_the_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert {"/api/v1/reports/", "/api/v1/reports/{id}/status/", "/api/v1/reports/nearby/"} <= set(schema["paths"])
