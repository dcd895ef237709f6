"""MFA through the real sign-in pages: TOTP activation, the code at the next sign-in, recovery codes,
and the setting that makes it mandatory for agency staff and site admins."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})


def _activate(client) -> str:
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and "reauthenticate" in page.url:
        client.post(page.url, {"password": TEST_PASSWORD})
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for apps that cannot scan the QR code
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302, response.content
    return secret


@pytest.fixture
def staff(db):
    return MembershipFactory(role="manager", user__email="mara@example.org").user


def test_staff_must_set_up_mfa_at_their_next_sign_in(client, staff, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert _sign_in(client, "mara@example.org").status_code == 302
    forced = client.get("/contests/")
    assert forced.status_code == 302 and forced.url == "/accounts/2fa/totp/activate/"
    _activate(client)
    assert client.get("/contests/").status_code == 200
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_citizen_is_not_forced(client, db, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    UserFactory(email="ada@example.org")
    _sign_in(client, "ada@example.org")
    assert client.get("/contests/").status_code == 200


def test_with_totp_the_sign_in_asks_for_the_code_and_accepts_a_recovery_code(client, staff, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    _sign_in(client, "mara@example.org")
    secret = _activate(client)
    codes_page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    recovery = re.findall(r"\b[0-9a-f]{8}\b", codes_page)
    assert recovery, "recovery codes are generated with the authenticator"
    client.post("/accounts/logout/")

    step = _sign_in(client, "mara@example.org")
    assert step.status_code == 302 and step.url == "/accounts/2fa/authenticate/"
    assert client.get("/notifications/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.post("/accounts/2fa/authenticate/", {"code": _code(secret)}).status_code == 302
    assert client.get("/notifications/").status_code == 200
    client.post("/accounts/logout/")

    _sign_in(client, "mara@example.org")
    assert client.post("/accounts/2fa/authenticate/", {"code": recovery[0]}).status_code == 302
    assert client.get("/notifications/").status_code == 200
