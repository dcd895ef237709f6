"""Notifications: the notify service, per-kind text in the reader's language, the list page, marking read,
the unread count in every template, and emails that carry nobody else's address."""

import pytest
from django.core import mail
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from notifications.context_processors import notifications as notifications_context
from notifications.kinds import notification_text
from notifications.models import Notification
from notifications.selectors import notification_unread_count
from notifications.services import notification_mark_all_read, notification_mark_read, notification_notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATUS_DATA = {
    "proposal_id": 1,
    "proposal_title": "Plant willows",
    "status": "shortlisted",
    "agency_name": "City Water",
}


def notify(users, **overrides):
    arguments = {"kind": "proposal_status", "data": STATUS_DATA, "url": "/contests/x/proposals/1/"}
    arguments.update(overrides)
    return notification_notify(recipients=users, **arguments)


def test_notify_creates_one_notification_per_distinct_active_recipient(citizen):
    inactive = UserFactory(is_active=False)
    created = notify([citizen, citizen, inactive, None])
    assert [notification.recipient for notification in created] == [citizen]


def test_notify_emails_each_recipient_separately_after_commit(citizen, django_capture_on_commit_callbacks):
    other = UserFactory(display_name="Bo Other")
    with django_capture_on_commit_callbacks(execute=True):
        notify([citizen, other])
    assert sorted(message.to[0] for message in mail.outbox) == sorted([citizen.email, other.email])
    for message in mail.outbox:
        assert message.to in ([citizen.email], [other.email])
        assert citizen.email not in message.body and other.email not in message.body
        assert "City Water answered your proposal “Plant willows”: Shortlisted." in message.body
        assert "https://example.com/contests/x/proposals/1/" in message.body
        assert message.subject.startswith("[Civitas] ")


def test_unknown_kind_is_a_programming_error(citizen):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify([citizen], kind="nonsense")


def test_text_is_rendered_in_the_readers_language_from_stored_data(citizen):
    (notification,) = notify([citizen], send_email=False)
    assert notification_text(notification) == "City Water answered your proposal “Plant willows”: Shortlisted."
    with translation.override("zh-hans"):
        chinese = notification_text(notification)
    # The stored facts appear whatever the language; the sentence around them is the catalogue's.
    assert "Plant willows" in chinese and "City Water" in chinese


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("proposal_merged", {"proposal_title": "A", "target_title": "B"}, "Your proposal “A” was merged into “B”"),
        ("proposal_hidden", {"proposal_title": "A", "reason": "Spam"}, "was hidden by the moderators. Reason: Spam"),
        ("coauthor_invitation", {"proposal_title": "A", "inviter_name": "Ada"}, "Ada invited you to co-author “A”."),
        ("coauthor_accepted", {"proposal_title": "A", "coauthor_name": "Bo"}, "Bo is now a co-author of “A”."),
    ],
)
def test_every_kind_has_a_text(citizen, kind, data, expected):
    notification = Notification.objects.create(recipient=citizen, kind=kind, data=data)
    assert expected in notification_text(notification)


def test_mark_read_only_touches_the_users_own_notifications(citizen):
    other = UserFactory()
    (mine,) = notify([citizen], send_email=False)
    (theirs,) = notify([other], send_email=False)
    assert notification_mark_read(user=citizen, notification_id=theirs.pk) is False
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert notification_mark_read(user=citizen, notification_id=mine.pk) is True
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read(citizen):
    notify([citizen], send_email=False)
    notify([citizen], send_email=False)
    assert notification_unread_count(user=citizen) == 2
    assert notification_mark_all_read(user=citizen) == 2
    assert notification_unread_count(user=citizen) == 0


# --- pages ----------------------------------------------------------------------------------


def test_list_page_requires_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_list_page_shows_only_own_notifications_newest_first_within_a_query_budget(
    client, citizen, django_assert_max_num_queries
):
    notify([citizen], data={**STATUS_DATA, "proposal_title": "Older"}, send_email=False)
    notify([citizen], data={**STATUS_DATA, "proposal_title": "Newer"}, send_email=False)
    notify([UserFactory()], data={**STATUS_DATA, "proposal_title": "Someone else's"}, send_email=False)
    for _ in range(25):
        notify([citizen], kind="proposal_hidden", data={"proposal_title": "Filler", "reason": "x"}, send_email=False)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else" not in html
    assert "Page 1 of 2" in html
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.index("Newer") < second.index("Older")


def test_mark_one_read_with_post(client, citizen):
    (notification,) = notify([citizen], send_email=False)
    client.force_login(citizen)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_follows_only_local_next_urls(client, citizen):
    first, second = notify([citizen, UserFactory()], send_email=False)
    client.force_login(citizen)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "/contests/x/proposals/1/"})
    assert response["Location"] == "/contests/x/proposals/1/"
    (third,) = notify([citizen], send_email=False)
    response = client.post(reverse("notifications:read", args=[third.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_marking_someone_elses_notification_is_a_404(client, citizen):
    (theirs,) = notify([UserFactory()], send_email=False)
    client.force_login(citizen)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_with_post(client, citizen):
    notify([citizen], send_email=False)
    notify([citizen], send_email=False)
    client.force_login(citizen)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "All notifications are marked as read." in response.content.decode()
    assert notification_unread_count(user=citizen) == 0


# --- unread count for templates -------------------------------------------------------------------


def test_unread_count_costs_no_query_for_anonymous_users(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        context = notifications_context(request)
        rendered = engines["django"].from_string("{{ unread_notification_count }}").render(context)
    assert rendered == "0"


def test_unread_count_costs_one_query_however_often_used(citizen, django_assert_num_queries):
    notify([citizen], send_email=False)
    notify([citizen], send_email=False)
    request = RequestFactory().get("/")
    request.user = citizen
    with django_assert_num_queries(0):
        context = notifications_context(request)
    template = engines["django"].from_string(
        "{% if unread_notification_count %}{{ unread_notification_count }}/{{ unread_notification_count }}{% endif %}"
    )
    with django_assert_num_queries(1):
        assert template.render(context) == "2/2"


def test_unread_count_is_in_every_page_context(client, citizen):
    notify([citizen], send_email=False)
    client.force_login(citizen)
    response = client.get(reverse("home"))
    assert response.context["unread_notification_count"]() == 1
    assert "1 unread" in response.content.decode()  # the header's link to /notifications/
