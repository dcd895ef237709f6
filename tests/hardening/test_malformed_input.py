"""Malformed input is a clear 400/404, never a 500: NUL bytes (PostgreSQL text cannot hold them),
ids beyond any database integer, JSON nested deeper than any real document."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import ContestFactory, ProposalFactory, UserFactory

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores NUL bytes; the 500 only happens on PostgreSQL"
)

HUGE = "9" * 30


@pytest.fixture
def proposal(db):
    return ProposalFactory(contest=ContestFactory(slug="parks"))


def _nul_urls():
    base = "/contests/parks/proposals/"
    return [
        "/contests/?q=a%00b",
        f"{base}?category=%00",
        f"{base}?q=a%00b",
        f"{base}similar/?title=park%00ing",
        "/proposals/invitations/a%00b/",
        "/jury/invitations/a%00b/",
        "/notifications/unsubscribe/a%00b/",
        "/api/v1/proposals/?search=a%00b",
        "/api/v1/contests/?search=%00",
        "/contests/a%00b/",
        "/follow/proposals/1%00/",
    ]


@needs_postgres
@pytest.mark.parametrize("url", _nul_urls())
def test_nul_bytes_in_query_or_path_are_a_400(client, proposal, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400, url
    if url.startswith("/api/"):
        assert response.json() == {"detail": "Malformed request."}


@needs_postgres
def test_nul_bytes_in_a_signed_in_users_form_post_are_a_400(client, proposal):
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.post(f"/follow/proposals/{proposal.pk}/", {"follow": "0\x00"})
    assert response.status_code == 400


def test_a_nul_free_query_still_works(client, proposal):
    assert client.get("/contests/parks/proposals/?q=park").status_code == 200


@pytest.mark.parametrize(
    "url",
    [f"/comments/{HUGE}/", f"/contests/parks/proposals/{HUGE}/", f"/users/{HUGE}/", f"/api/v1/proposals/{HUGE}/"],
)
def test_thirty_digit_ids_are_a_404(client, proposal, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


def test_a_huge_attachment_id_to_remove_is_not_a_500(proposal):
    api = APIClient()
    api.force_authenticate(proposal.author)
    api.raise_request_exception = False
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"remove_attachments": [10**30]}, format="json")
    assert response.status_code in (200, 400)


DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/proposals/{pk}/comments/", "/api/v1/contests/"])
def test_a_fifty_thousand_deep_json_array_is_a_400(proposal, url, signed_in):
    api = APIClient()
    api.raise_request_exception = False
    if signed_in:
        api.force_authenticate(proposal.author)
    response = api.generic("POST", url.format(pk=proposal.pk), DEEP, content_type="application/json")
    assert response.status_code in (400, 401, 403, 405) if not signed_in else response.status_code in (400, 405)
    if response.status_code == 400:
        assert "deep" in response.json()["detail"]


def test_the_depth_check_leaves_strings_with_brackets_alone(proposal):
    api = APIClient()
    api.force_authenticate(UserFactory())
    text = "Brackets [[[[ and {{{{ inside a string are text" + "[" * 200
    response = api.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"text": text}, format="json")
    assert response.status_code == 201, response.content


def test_the_token_endpoint_refuses_deep_json_anonymously():
    api = APIClient()
    api.raise_request_exception = False
    response = api.generic("POST", "/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "deep" in response.json()["detail"]
