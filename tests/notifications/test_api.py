"""The notification centre: JSON API (list, unread filter, mark read), the list page, and constant query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notification_notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/notifications/"


def make_notifications(user, count):
    for number in range(count):
        notification_notify(
            recipients=[user],
            kind="contest_phase",
            data={"contest_title": f"Contest {number}", "event": "voting_opens"},
            url=f"/contests/contest-{number}/",
            send_email=False,
        )


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=citizen).key}")
    return client


def test_list_is_paginated_newest_first_with_text_in_the_readers_language(api, citizen):
    make_notifications(citizen, 25)
    make_notifications(UserFactory(), 3)  # someone else's are never listed
    body = api.get(LIST_URL).json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"]
    first = body["results"][0]
    assert first["text"] == "Voting is open in “Contest 24”."
    assert first["kind"] == "contest_phase" and first["url"] == "/contests/contest-24/"
    assert first["is_read"] is False and first["read_at"] is None
    assert set(first) == {"id", "kind", "text", "url", "is_read", "read_at", "created_at"}
    chinese = api.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "Contest 24" in chinese["results"][0]["text"]


def test_mark_one_read_then_filter_unread(api, citizen):
    make_notifications(citizen, 3)
    target = Notification.objects.filter(recipient=citizen).first()
    response = api.post(f"{LIST_URL}{target.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.post(f"{LIST_URL}{target.pk}/read/").status_code == 200  # again: no change, no error
    unread = api.get(LIST_URL, {"unread": "1"}).json()
    assert unread["count"] == 2 and target.pk not in [item["id"] for item in unread["results"]]


def test_mark_all_read(api, citizen):
    make_notifications(citizen, 4)
    assert api.post(f"{LIST_URL}read-all/").json() == {"marked": 4}
    assert api.get(LIST_URL, {"unread": "1"}).json()["count"] == 0


def test_someone_elses_notification_is_404(api):
    other = UserFactory()
    make_notifications(other, 1)
    notification = Notification.objects.get(recipient=other)
    assert api.post(f"{LIST_URL}{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_callers_get_401():
    client = APIClient()
    assert client.get(LIST_URL).status_code == 401
    assert client.post(f"{LIST_URL}read-all/").status_code == 401


def test_session_callers_need_a_csrf_token(citizen):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get(LIST_URL).status_code == 200
    assert client.post(f"{LIST_URL}read-all/").status_code == 403


def test_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notifications/", "/api/v1/notifications/{id}/read/", "/api/v1/notifications/read-all/"):
        assert path in schema


@pytest.mark.parametrize("count", [3, 300])
def test_list_api_and_page_keep_a_constant_query_count(api, client, citizen, django_assert_max_num_queries, count):
    make_notifications(citizen, count)
    with django_assert_max_num_queries(4):  # token user, count, page
        assert api.get(LIST_URL).status_code == 200
    client.force_login(citizen)
    with django_assert_max_num_queries(6):  # session, user, count, page, unread count in the header
        page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('class="notification notification-unread"') == min(count, 20)


def test_notification_page_filters_unread_and_links_follows_and_preferences(client, citizen):
    make_notifications(citizen, 2)
    read = Notification.objects.filter(recipient=citizen).first()
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(citizen)
    page = client.get(reverse("notifications:list") + "?unread=1").content.decode()
    assert page.count('class="notification ') == 1
    assert reverse("notifications:follows") in page and reverse("notifications:preferences") in page
