"""Unverified accounts cannot act: no sign-in, no API token, no citizen permission."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _mandatory_verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


@pytest.mark.django_db
def test_unverified_user_is_not_signed_in_and_is_sent_to_verification(
    client, unverified_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_login"), {"login": unverified_user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # A fresh confirmation mail goes out so they can finish.
    assert [unverified_user.email] in [message.to for message in mailoutbox]
    home = client.get("/")
    assert home.wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_verified_user_signs_in(client, citizen):
    response = client.post(reverse("account_login"), {"login": citizen.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.pk


@pytest.mark.django_db
def test_unverified_user_gets_no_api_token(client, unverified_user):
    response = client.post(
        reverse("api:auth_token"),
        {"email": unverified_user.email, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "Verify your email address" in str(response.json())


@pytest.mark.django_db
def test_unverified_user_cannot_act_as_citizen(unverified_user):
    assert not unverified_user.has_perm("accounts.act_as_citizen")


@pytest.mark.django_db
def test_verifying_the_email_grants_citizen_actions(unverified_user):
    EmailAddress.objects.filter(user=unverified_user).update(verified=True)
    unverified_user.refresh_from_db()
    fresh = type(unverified_user).objects.get(pk=unverified_user.pk)  # predicates cache per user object
    assert fresh.has_perm("accounts.act_as_citizen")


@pytest.mark.django_db
def test_verified_but_non_primary_address_does_not_count(unverified_user):
    EmailAddress.objects.create(user=unverified_user, email="other@example.org", verified=True, primary=False)
    assert not unverified_user.has_perm("accounts.act_as_citizen")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Eli\r\nBcc: x", "Eli\tBcc", "Eli\x1b[31m"])
def test_signup_refuses_a_display_name_with_line_breaks_or_control_characters(client, name):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "eli@example.org",
            "display_name": name,
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "cannot contain line breaks, tabs or other control characters" in response.content.decode()
    assert not User.objects.filter(email="eli@example.org").exists()


@pytest.mark.django_db
def test_signup_requires_display_name_without_at_sign(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "display_name": "new@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "cannot contain" in response.content.decode()


@pytest.mark.django_db
def test_signup_creates_unverified_account_that_cannot_act(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "display_name": "Newt",
                "password1": "a-long-unusual-passphrase",
                "password2": "a-long-unusual-passphrase",
            },
        )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="new@example.org")
    assert user.display_name == "Newt"
    assert not user.has_perm("accounts.act_as_citizen")
    assert len(mailoutbox) == 1
