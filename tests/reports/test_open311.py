"""An Open311 GeoReport v2 client: list services, post a request with an API key, read it back, JSON and XML.

The field lists are the specification's (wiki.open311.org/GeoReport_v2).
"""

from xml.etree import ElementTree

import pytest

from reports.models import Report
from reports.services import open311_client_create
from tests.factories import UserFactory
from tests.reports.helpers import CENTRE, OUTSIDE

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
POST_RESPONSE_FIELDS = {"service_request_id", "service_notice", "account_id"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}


@pytest.fixture
def api_key(db):
    _client, key = open311_client_create(name="City app", user=UserFactory(display_name="City app"))
    return key


@pytest.fixture
def category(agency):
    from tests.reports.helpers import category_make

    return category_make(
        agency,
        group="Street",
        keywords="lamp, light",
        extra_questions=[
            {"code": "pole", "description": "Pole number", "required": False},
            {"code": "kind", "description": "Lamp kind", "required": True, "values": [{"key": "led", "name": "LED"}]},
        ],
    )


def _xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own server's response


def _post(client, fmt, **data):
    base = {
        "service_code": "streetlight",
        "lat": CENTRE[0],
        "long": CENTRE[1],
        "description": "Lamp out",
        "attribute[kind]": "led",
    }
    return client.post(f"/open311/v2/requests.{fmt}", {**base, **data})


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_services_and_a_definition(client, category, fmt):
    response = client.get(f"/open311/v2/services.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        (service,) = response.json()
        assert set(service) == SERVICE_FIELDS
        assert (
            service["service_code"] == "streetlight" and service["metadata"] is True and service["type"] == "realtime"
        )
        definition = client.get("/open311/v2/services/streetlight.json").json()
        assert definition["service_code"] == "streetlight"
        assert all(set(attribute) == ATTRIBUTE_FIELDS for attribute in definition["attributes"])
        assert definition["attributes"][1]["datatype"] == "singlevaluelist"
    else:
        root = _xml(response)
        assert root.tag == "services"
        (service,) = root.findall("service")
        assert {child.tag for child in service} == SERVICE_FIELDS
        assert service.findtext("metadata") == "true"
        definition = _xml(client.get("/open311/v2/services/streetlight.xml"))
        assert definition.tag == "service_definition"
        attributes = definition.find("attributes").findall("attribute")
        assert len(attributes) == 2 and all(
            {child.tag for child in attribute} == ATTRIBUTE_FIELDS for attribute in attributes
        )
        assert attributes[1].find("values").find("value").findtext("key") == "led"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_with_an_api_key_and_read_it_back(client, category, api_key, fmt):
    response = _post(client, fmt, api_key=api_key)
    assert response.status_code == 200
    if fmt == "json":
        (created,) = response.json()
        assert set(created) == POST_RESPONSE_FIELDS
        request_id = created["service_request_id"]
        (read,) = client.get(f"/open311/v2/requests/{request_id}.json").json()
        assert set(read) == REQUEST_FIELDS
        assert read["status"] == "open" and read["service_code"] == "streetlight" and read["lat"] == CENTRE[0]
        assert read["agency_responsible"] == "City Water"
        listed = client.get("/open311/v2/requests.json", {"status": "open", "service_code": "streetlight"}).json()
        assert [row["service_request_id"] for row in listed] == [request_id]
    else:
        root = _xml(response)
        assert root.tag == "service_requests"
        created = root.find("request")
        assert {child.tag for child in created} == POST_RESPONSE_FIELDS
        request_id = created.findtext("service_request_id")
        read = _xml(client.get(f"/open311/v2/requests/{request_id}.xml")).find("request")
        assert {child.tag for child in read} == REQUEST_FIELDS
        assert read.findtext("status") == "open" and read.findtext("long") == str(CENTRE[1])
    report = Report.objects.get(pk=int(request_id))
    assert report.answers == {"kind": "led"} and report.source_client is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("data", "status"),
    [({}, 400), ({"api_key": "wrong"}, 403)],
)
def test_post_without_or_with_a_wrong_key_is_refused(client, category, fmt, data, status):
    response = _post(client, fmt, **data)
    assert response.status_code == status
    if fmt == "json":
        assert set(response.json()[0]) == {"code", "description"}
    else:
        assert _xml(response).tag == "errors"
    assert Report.objects.count() == 0


def test_post_outside_every_area_or_with_a_missing_answer_is_refused(client, category, api_key):
    response = _post(client, "json", api_key=api_key, lat=OUTSIDE[0], long=OUTSIDE[1])
    assert response.status_code == 400 and "No agency covers this place" in response.json()[0]["description"]
    response = _post(client, "json", api_key=api_key, **{"attribute[kind]": ""})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_request_filters(client, category, api_key):
    first = _post(client, "json", api_key=api_key).json()[0]["service_request_id"]
    second = _post(client, "json", api_key=api_key).json()[0]["service_request_id"]
    Report.objects.filter(pk=int(second)).update(status="fixed")
    rows = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [row["service_request_id"] for row in rows] == [second] and rows[0]["status"] == "closed"
    rows = client.get("/open311/v2/requests.json", {"service_request_id": f"{first},{second}"}).json()
    assert {row["service_request_id"] for row in rows} == {first, second}
    assert client.get("/open311/v2/requests.json", {"start_date": "2999-01-01T00:00:00Z"}).json() == []
    assert client.get("/open311/v2/requests.json", {"end_date": "2000-01-01T00:00:00Z"}).json() == []
    assert client.get("/open311/v2/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert client.get("/open311/v2/requests.json", {"status": "pending"}).status_code == 400
    assert client.get("/open311/v2/requests/999.json").status_code == 404
    assert client.get("/open311/v2/services.csv").status_code == 404
