"""The token endpoint: credentials in, a token out, with nothing said about which part was wrong."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
GENERIC_FAILURE = "Unable to sign in with the email and password given."


# --- token endpoint ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_for_good_credentials(client, citizen):
    response = client.post(
        TOKEN_URL, {"email": citizen.email, "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=citizen).key


@pytest.mark.django_db
def test_token_is_stable_across_requests(client, citizen):
    payload = {"email": citizen.email.upper(), "password": TEST_PASSWORD}
    first = client.post(TOKEN_URL, payload, content_type="application/json")
    second = client.post(TOKEN_URL, payload, content_type="application/json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


@pytest.mark.django_db
def test_wrong_password_and_unknown_email_fail_alike(client, citizen):
    wrong_password = client.post(
        TOKEN_URL, {"email": citizen.email, "password": "not it"}, content_type="application/json"
    )
    unknown_email = client.post(
        TOKEN_URL, {"email": "nobody@example.org", "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.json() == unknown_email.json()
    body = str(wrong_password.json())
    assert GENERIC_FAILURE in body
    for hint in ("password is", "not found", "does not exist", "no account", citizen.email):
        assert hint.lower() not in body.lower()
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_inactive_account_fails_like_a_wrong_password(client, citizen):
    citizen.is_active = False
    citizen.save()
    response = client.post(
        TOKEN_URL, {"email": citizen.email, "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 400
    assert GENERIC_FAILURE in str(response.json())


@pytest.mark.django_db
def test_missing_fields_are_field_errors(client):
    response = client.post(TOKEN_URL, {}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


@pytest.mark.django_db
def test_malformed_json_is_400_not_500(client):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
def test_token_endpoint_is_throttled_per_client_address(client, citizen):
    statuses = [
        client.post(
            TOKEN_URL, {"email": f"guess{attempt}@example.org", "password": "x"}, content_type="application/json"
        ).status_code
        for attempt in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429
    # Even the right password is refused while throttled.
    good = client.post(TOKEN_URL, {"email": citizen.email, "password": TEST_PASSWORD}, content_type="application/json")
    assert good.status_code == 429


def test_throttles_ignore_a_forged_forwarded_for_header(rf):
    # Without trusted proxies the socket address is the client; otherwise each forged header
    # would be a fresh throttle bucket.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="203.0.113.5")
    assert ScopedRateThrottle().get_ident(request) == "203.0.113.5"


def test_throttles_use_the_address_the_trusted_proxy_reports(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", HTTP_X_FORWARDED_FOR="forged, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    assert ScopedRateThrottle().get_ident(request) == "198.51.100.7"


@pytest.mark.django_db
def test_failed_token_requests_count_against_the_account_from_any_address(client, citizen):
    # Same per-account limit as the sign-in form (5 failures per 5 minutes), however many IPs try.
    for attempt in range(5):
        response = client.post(
            TOKEN_URL,
            {"email": citizen.email, "password": "wrong"},
            content_type="application/json",
            REMOTE_ADDR=f"203.0.113.{attempt}",
        )
        assert response.status_code == 400
    blocked = client.post(
        TOKEN_URL,
        {"email": citizen.email, "password": TEST_PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.99",
    )
    assert blocked.status_code == 429
    assert "token" not in blocked.json()


@pytest.mark.django_db
def test_successful_token_requests_do_not_use_up_the_account_limit(client, citizen):
    for attempt in range(8):
        response = client.post(
            TOKEN_URL,
            {"email": citizen.email, "password": TEST_PASSWORD},
            content_type="application/json",
            REMOTE_ADDR=f"203.0.113.{attempt}",
        )
        assert response.status_code == 200
