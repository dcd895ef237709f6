"""Accounts: API tokens die with a password change or reset, expire, and can be revoked; changing an
email address or password needs a recent sign-in, and the old address hears of the change."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "a-brand-new-Passphrase-42"


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.org", display_name="Ada")


def _token(email=("ada@example.org"), password=TEST_PASSWORD) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _works(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/notifications/").status_code


def _sign_in(client, email="ada@example.org", password=TEST_PASSWORD):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content


def test_a_password_change_revokes_api_tokens_and_tells_the_owner(
    client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    token = _token()
    assert _works(token) == 200
    _sign_in(client)
    data = {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/change/", data)
    assert response.status_code == 302
    assert _works(token) == 401
    assert not Token.objects.filter(user=ada).exists()
    assert any("ada@example.org" in mail.to and "password" in mail.subject.lower() for mail in mailoutbox)


def test_a_password_reset_revokes_api_tokens(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    token = _token()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body).group(1)
    form_url = client.get(link).url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _works(token) == 401


def test_tokens_expire_after_the_configured_days(ada, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = _token()
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(days=31))
    assert _works(token) == 401
    fresh = _token()  # signing in again gives a new token
    assert fresh != token and _works(fresh) == 200


def test_a_token_can_be_revoked(ada):
    token = _token()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    assert _works(token) == 401


def test_adding_an_email_needs_a_recent_sign_in(client, ada, settings):
    client.force_login(ada)  # a session without a recent password entry
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    assert not ada.emailaddress_set.filter(email="new@example.org").exists()


def test_changing_the_password_needs_the_current_one(client, ada):
    token = _token()
    client.force_login(ada)
    data = {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post("/accounts/password/change/", data).status_code == 200
    ada.refresh_from_db()
    assert ada.check_password(TEST_PASSWORD) and _works(token) == 200


def test_the_old_address_is_told_when_the_email_changes(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(ada)
    assert "/accounts/reauthenticate/" in client.get("/accounts/reauthenticate/").wsgi_request.path
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    confirm = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mailoutbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    ada.refresh_from_db()
    assert ada.email == "new@example.org"
    told = [mail for mail in mailoutbox if mail.to == ["ada@example.org"] and "new@example.org" in mail.body]
    assert told, [(m.to, m.subject) for m in mailoutbox]
