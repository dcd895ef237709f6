"""The contests API: list filters, visibility, create/edit/publish for managers, and 4xx for bad input."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from contests.models import Contest, DeadlineChange
from tests.contests.helpers import contest_api_data
from tests.factories import ContestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_is_public_paginated_and_filterable(api, agency, other_agency):
    ContestFactory(agency=agency, title="Clean rivers", slug="rivers")
    ContestFactory(agency=other_agency, title="Night buses", slug="buses", voting=True)
    ContestFactory(agency=agency, title="Secret", slug="secret", draft=True)
    body = api.get("/api/v1/contests/").json()
    assert body["count"] == 2
    assert {item["slug"] for item in body["results"]} == {"rivers", "buses"}
    first = body["results"][0]
    assert {"agency", "phase", "categories", "url", "voting_method", "submission_closes_at"} <= set(first)
    assert [i["slug"] for i in api.get("/api/v1/contests/", {"agency": agency.slug}).json()["results"]] == ["rivers"]
    assert [i["slug"] for i in api.get("/api/v1/contests/", {"phase": "voting"}).json()["results"]] == ["buses"]
    assert [i["slug"] for i in api.get("/api/v1/contests/", {"q": "buses"}).json()["results"]] == ["buses"]


def test_list_with_unknown_phase_is_a_400(api):
    response = api.get("/api/v1/contests/", {"phase": "someday"})
    assert response.status_code == 400
    assert "phase" in response.json()


def test_manager_creates_a_draft_in_their_agency(api, agency, agency_manager):
    api.force_authenticate(agency_manager)
    response = api.post("/api/v1/contests/", contest_api_data(agency.slug), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "greener-streets"
    assert body["is_published"] is False
    assert body["phase"] == "draft"
    assert body["voting_method"] == "approval" and body["approval_limit"] == 2
    assert sorted(c["name"] for c in body["categories"]) == ["Parks", "Trees"]
    # The draft is invisible to the public, visible to its manager.
    assert APIClient().get("/api/v1/contests/greener-streets/").status_code == 404
    assert api.get("/api/v1/contests/greener-streets/").status_code == 200


def test_anonymous_create_is_401(api, agency):
    assert api.post("/api/v1/contests/", contest_api_data(agency.slug), format="json").status_code == 401
    assert not Contest.objects.exists()


@pytest.mark.parametrize("role", ["citizen", "other_manager"])
def test_create_in_someone_elses_agency_is_403(api, agency, role, request):
    api.force_authenticate(request.getfixturevalue(role))
    response = api.post("/api/v1/contests/", contest_api_data(agency.slug), format="json")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Contest.objects.exists()


def test_site_admin_may_create_for_any_agency(api, agency, site_admin):
    api.force_authenticate(site_admin)
    assert api.post("/api/v1/contests/", contest_api_data(agency.slug), format="json").status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"agency": "no-such-agency"}, "agency"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 20001}, "description"),
        ({"description": "[x](javascript:alert(1))"}, "description"),
        ({"rules": "[x](data:text/html;base64,PHNjcmlwdD4=)"}, "rules"),
        ({"rewards": "[x](java\tscript:alert(1))"}, "rewards"),
        ({"public_weight": 70, "jury_weight": 70}, "jury_weight"),
        ({"results_at": "2020-01-01T00:00:00Z"}, "results_at"),
        ({"submission_closes_at": "not a date"}, "submission_closes_at"),
        ({"voting_method": "telepathy"}, "voting_method"),
        ({"categories": ["x" * 81]}, "categories"),
        ({"slug": "new"}, "slug"),
    ],
)
def test_bad_input_on_create_is_a_400_naming_the_field(api, agency, agency_manager, overrides, field):
    api.force_authenticate(agency_manager)
    response = api.post("/api/v1/contests/", contest_api_data(agency.slug, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Contest.objects.exists()


def test_duplicate_slug_is_a_400(api, agency, agency_manager, published):
    api.force_authenticate(agency_manager)
    response = api.post("/api/v1/contests/", contest_api_data(agency.slug, slug=published.slug), format="json")
    assert response.status_code == 400
    assert "slug" in response.json()


def test_manager_patches_and_publishes_a_draft(api, draft, agency_manager):
    api.force_authenticate(agency_manager)
    response = api.patch(
        f"/api/v1/contests/{draft.slug}/", {"title": "Ready now", "categories": ["One"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Ready now"
    assert [c["name"] for c in response.json()["categories"]] == ["One"]
    published = api.post(f"/api/v1/contests/{draft.slug}/publish/")
    assert published.status_code == 200
    assert published.json()["is_published"] is True
    assert api.post(f"/api/v1/contests/{draft.slug}/publish/").status_code == 400
    assert APIClient().get(f"/api/v1/contests/{draft.slug}/").status_code == 200


def test_patch_by_other_agency_manager_is_403_for_published_and_404_for_draft(api, draft, published, other_manager):
    api.force_authenticate(other_manager)
    assert api.patch(f"/api/v1/contests/{published.slug}/", {"title": "Hijack"}, format="json").status_code == 403
    assert api.patch(f"/api/v1/contests/{draft.slug}/", {"title": "Hijack"}, format="json").status_code == 404
    assert api.post(f"/api/v1/contests/{draft.slug}/publish/").status_code == 404
    assert set(Contest.objects.values_list("title", flat=True)) == {"Secret draft", "Clean rivers"}


def test_patch_with_invalid_weights_is_a_400_and_changes_nothing(api, published, agency_manager):
    api.force_authenticate(agency_manager)
    response = api.patch(
        f"/api/v1/contests/{published.slug}/", {"public_weight": 10, "title": "Changed"}, format="json"
    )
    assert response.status_code == 400
    assert "must add up to 100" in str(response.json())
    published.refresh_from_db()
    assert published.title == "Clean rivers"
    assert published.public_weight == 40


def test_deadline_extension_through_the_api_needs_a_reason_and_is_logged(api, published, agency_manager):
    api.force_authenticate(agency_manager)
    new_close = published.voting_closes_at + timedelta(days=2)
    payload = {"voting_closes_at": new_close.isoformat()}
    refused = api.patch(f"/api/v1/contests/{published.slug}/", payload, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    assert not DeadlineChange.objects.exists()
    accepted = api.patch(f"/api/v1/contests/{published.slug}/", {**payload, "reason": "Server outage"}, format="json")
    assert accepted.status_code == 200, accepted.json()
    log = accepted.json()["deadline_changes"]
    assert len(log) == 1
    assert log[0]["field"] == "voting_closes_at"
    assert log[0]["reason"] == "Server outage"
    assert log[0]["changed_by"] == {"id": agency_manager.pk, "display_name": "Mara Manager"}
    assert "email" not in str(log)


def test_published_contest_slug_cannot_change_through_the_api(api, published, agency_manager):
    api.force_authenticate(agency_manager)
    response = api.patch(f"/api/v1/contests/{published.slug}/", {"slug": "moved"}, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()
    assert Contest.objects.filter(slug=published.slug).exists()


def test_contest_endpoints_are_in_the_openapi_schema(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/contests/{slug}/publish/" in schema
    assert "/api/v1/contests/{slug}/:" in schema
    assert "ContestCreate" in schema


@pytest.mark.parametrize("count", [5, 300])
def test_api_list_runs_a_constant_number_of_queries(api, agency, count, django_assert_max_num_queries):
    from contests.models import Category

    contests = ContestFactory.create_batch(count, agency=agency)
    Category.objects.bulk_create([Category(contest=c, name="Topic", slug="topic") for c in contests])
    # count, page of contests (with agency), their categories
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/contests/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 20)
