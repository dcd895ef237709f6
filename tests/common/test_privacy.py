"""Emails never appear on public pages or in API output."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import AgencyFactory, ContestFactory, MembershipFactory, UserFactory

SECRET_EMAILS = ["wen.secret@private.example", "mara.secret@private.example", "ada.secret@private.example"]


@pytest.fixture
def world(db):
    agency = AgencyFactory(name="City Water", slug="city-water")
    admin = MembershipFactory(agency=agency, role="admin", user__email=SECRET_EMAILS[0], user__display_name="Wen").user
    manager = MembershipFactory(
        agency=agency, role="manager", user__email=SECRET_EMAILS[1], user__display_name=""
    ).user  # no display name: must fall back to "Citizen #id", never the email
    citizen = UserFactory(email=SECRET_EMAILS[2], display_name="Ada")
    ContestFactory(agency=agency, title="Clean rivers")
    return {"agency": agency, "admin": admin, "manager": manager, "citizen": citizen}


def _assert_no_email(content: bytes | str, where: str):
    text = content.decode() if isinstance(content, bytes) else content
    for email in SECRET_EMAILS:
        assert email not in text, f"{email} leaked in {where}"
        assert email.split("@")[0] not in text, f"local part of {email} leaked in {where}"


def _public_urls(world) -> list[str]:
    agency = world["agency"]
    return [
        reverse("home"),
        reverse("agencies:list"),
        agency.get_absolute_url(),
        *(world[name].get_absolute_url() for name in ("admin", "manager", "citizen")),
        "/api/v1/agencies/",
        f"/api/v1/agencies/{agency.slug}/",
        "/api/v1/schema/",
    ]


@pytest.mark.django_db
def test_no_email_on_public_pages_or_api_for_anonymous_visitors(client, world):
    for url in _public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_email(response.content, url)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["citizen", "admin"])
def test_no_email_on_public_pages_for_signed_in_people(client, world, viewer):
    client.force_login(world[viewer])
    urls = [*_public_urls(world), reverse("agencies:members", args=["city-water"])]
    for url in urls:
        response = client.get(url)
        if url.endswith("/members/") and viewer == "citizen":
            assert response.status_code == 403
        _assert_no_email(response.content, url)


@pytest.mark.django_db
def test_browsable_api_shows_no_email(client, world):
    client.force_login(world["admin"])
    response = client.get("/api/v1/agencies/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    _assert_no_email(response.content, "browsable API")


@pytest.mark.django_db
def test_member_response_has_no_email(world):
    newcomer = UserFactory(email="nia.secret@private.example", display_name="Nia")
    token = Token.objects.create(user=world["admin"])
    response = Client().post(
        "/api/v1/agencies/city-water/members/",
        {"email": newcomer.email, "role": "manager"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    assert "nia.secret" not in response.content.decode()
    assert response.json()["user"]["display_name"] == "Nia"


@pytest.mark.django_db
def test_user_without_display_name_appears_as_citizen_number(client, world):
    manager = world["manager"]
    response = client.get(manager.get_absolute_url())
    assert f"Citizen #{manager.pk}" in response.content.decode()
