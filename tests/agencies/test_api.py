"""The agencies API: agencies and members, with both authentication methods."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agencies.models import Agency, AgencyMembership
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

AGENCIES_URL = "/api/v1/agencies/"


def _members_url(slug: str) -> str:
    return f"/api/v1/agencies/{slug}/members/"


def _token_client(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def manager_of_b(other_agency):
    return MembershipFactory(agency=other_agency, role="manager").user


# --- agencies ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_list_is_paginated_and_public(client):
    AgencyFactory.create_batch(25)
    response = client.get(AGENCIES_URL)
    data = response.json()
    assert response.status_code == 200
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 25
    assert len(data["results"]) == 20
    assert data["previous"] is None
    assert data["next"].endswith("?page=2")
    assert len(client.get(data["next"]).json()["results"]) == 5


@pytest.mark.django_db
def test_agency_list_page_out_of_range_is_404(client):
    assert client.get(AGENCIES_URL + "?page=99").status_code == 404


@pytest.mark.django_db
def test_agency_detail(client, agency):
    response = client.get(f"{AGENCIES_URL}{agency.slug}/")
    assert response.status_code == 200
    assert response.json()["name"] == "City Water"
    assert response.json()["url"] == "/agencies/city-water/"
    assert client.get(f"{AGENCIES_URL}nobody/").status_code == 404


@pytest.mark.django_db
def test_site_admin_creates_agency(site_admin):
    response = _token_client(site_admin).post(
        AGENCIES_URL, {"name": "Harbour Office", "description": "Ports."}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "harbour-office"
    assert Agency.objects.filter(slug="harbour-office", name="Harbour Office").exists()


@pytest.mark.django_db
def test_duplicate_agency_is_400(site_admin, agency):
    response = _token_client(site_admin).post(AGENCIES_URL, {"name": "City Water"}, content_type="application/json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.django_db
def test_too_long_agency_name_is_400(site_admin):
    response = _token_client(site_admin).post(AGENCIES_URL, {"name": "x" * 201}, content_type="application/json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agency_manager", "agency_admin", "citizen"])
def test_non_site_admins_cannot_create_agencies(request, who):
    user = request.getfixturevalue(who)
    response = _token_client(user).post(AGENCIES_URL, {"name": "Rogue"}, content_type="application/json")
    assert response.status_code == 403
    assert not Agency.objects.filter(name="Rogue").exists()


@pytest.mark.django_db
def test_anonymous_cannot_create_agencies(client):
    response = client.post(AGENCIES_URL, {"name": "Rogue"}, content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.django_db
def test_bad_token_is_401(client):
    response = client.get(AGENCIES_URL, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


# --- members ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_admin_adds_member(agency, agency_admin):
    newcomer = UserFactory(display_name="Nia New", email="nia@example.org")
    response = _token_client(agency_admin).post(
        _members_url(agency.slug), {"email": "nia@example.org", "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["role"] == "manager"
    assert data["user"] == {"id": newcomer.pk, "display_name": "Nia New"}
    assert "nia@example.org" not in response.content.decode()
    assert AgencyMembership.objects.filter(agency=agency, user=newcomer, role="manager").exists()


@pytest.mark.django_db
def test_manager_of_other_agency_cannot_add_members(agency, manager_of_b):
    response = _token_client(manager_of_b).post(
        _members_url(agency.slug), {"email": manager_of_b.email, "role": "admin"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not agency.memberships.filter(user=manager_of_b).exists()


@pytest.mark.django_db
def test_manager_of_same_agency_cannot_add_members(agency, agency_manager, citizen):
    response = _token_client(agency_manager).post(
        _members_url(agency.slug), {"email": citizen.email, "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "administrators" in response.json()["detail"]


@pytest.mark.django_db
def test_bad_role_is_400(agency, agency_admin, citizen):
    response = _token_client(agency_admin).post(
        _members_url(agency.slug), {"email": citizen.email, "role": "owner"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "role" in response.json()


@pytest.mark.django_db
def test_unknown_member_email_is_400(agency, agency_admin):
    response = _token_client(agency_admin).post(
        _members_url(agency.slug), {"email": "ghost@example.org", "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.django_db
def test_demoting_last_admin_via_api_is_400(agency, agency_admin):
    response = _token_client(agency_admin).post(
        _members_url(agency.slug), {"email": agency_admin.email, "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "at least one administrator" in str(response.json())


@pytest.mark.django_db
def test_unknown_agency_is_404(agency_admin):
    response = _token_client(agency_admin).post(
        _members_url("nobody"), {"email": agency_admin.email, "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_cannot_add_members(client, agency, citizen):
    response = client.post(
        _members_url(agency.slug), {"email": citizen.email, "role": "admin"}, content_type="application/json"
    )
    assert response.status_code == 401


# --- session authentication and CSRF ----------------------------------------------------------


@pytest.mark.django_db
def test_session_auth_without_csrf_token_is_refused(agency, agency_admin, citizen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agency_admin)
    response = browser.post(
        _members_url(agency.slug), {"email": citizen.email, "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not agency.memberships.filter(user=citizen).exists()


@pytest.mark.django_db
def test_session_auth_with_csrf_token_works(agency, agency_admin, citizen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agency_admin)
    browser.get(reverse("home"))  # sets the csrftoken cookie, as a page visit would
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        _members_url(agency.slug),
        {"email": citizen.email, "role": "manager"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_token_auth_needs_no_csrf_token(agency, agency_admin, citizen):
    token, _ = Token.objects.get_or_create(user=agency_admin)
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        _members_url(agency.slug), {"email": citizen.email, "role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 201
