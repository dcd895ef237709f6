"""Profile pages: what a person shows the world, and what they may change."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- profiles ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_shows_display_name_never_email(client, agency_admin, citizen):
    for viewer in (None, citizen, agency_admin):
        if viewer:
            client.force_login(viewer)
        response = client.get(agency_admin.get_absolute_url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "Wen Admin" in body
        assert agency_admin.email not in body
        assert "City Water" in body  # public memberships


@pytest.mark.django_db
def test_inactive_users_profile_is_404(client, citizen):
    citizen.is_active = False
    citizen.save()
    assert client.get(citizen.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_profile_edit_requires_sign_in(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_edit_saves_display_name(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "  Ada Lovelace "})
    assert response.status_code == 302
    assert response["Location"] == citizen.get_absolute_url()
    citizen.refresh_from_db()
    assert citizen.display_name == "Ada Lovelace"
    assert "Your profile was saved." in _messages(response)


@pytest.mark.django_db
def test_profile_edit_rejects_at_sign(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "ada@example.org"})
    assert response.status_code == 200
    assert "cannot contain" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.display_name == "Ada Citizen"


@pytest.mark.django_db
def test_profile_edit_refuses_a_display_name_that_could_split_an_email_header(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "Eli\r\nBcc: x"})
    assert response.status_code == 200
    assert "cannot contain line breaks, tabs or other control characters" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.display_name == "Ada Citizen"


@pytest.mark.django_db
def test_profile_edit_rejects_blank_and_too_long_names(client, citizen):
    client.force_login(citizen)
    for name in ("   ", "x" * 61):
        client.post(reverse("accounts:profile_edit"), {"display_name": name})
        citizen.refresh_from_db()
        assert citizen.display_name == "Ada Citizen"
