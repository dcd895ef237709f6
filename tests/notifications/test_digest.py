"""Email preferences (each event / daily digest / none), `manage.py send_digests`, and one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from notifications.digest import digest_send_all
from notifications.emails import unsubscribe_token
from notifications.models import Notification, NotificationPreference
from notifications.selectors import notification_email_mode
from notifications.services import notification_kinds_mute, notification_notify, notification_preference_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send_digests():
    """The command, then what happens after its transactions commit (the outbox delivers)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_digests")


def notify(user, title, **kwargs):
    return notification_notify(
        recipients=[user],
        kind="proposal_status",
        data={"proposal_title": title, "status": "shortlisted", "agency_name": "City Water"},
        url="/contests/x/proposals/1/",
        **kwargs,
    )


@pytest.fixture
def digest_reader(db):
    user = UserFactory(display_name="Dee Digest")
    notification_preference_set(user=user, email_mode="digest")
    return user


def test_digest_lists_each_event_once_and_a_second_run_sends_nothing(digest_reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("Plant willows", "Open the weir", "Clean the banks"):
            notify(digest_reader, title)
    assert mail.outbox == []  # digest readers get no email per event

    send_digests()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [digest_reader.email]
    assert message.subject == "[Civitas] Your Civitas digest: 3 new notifications"
    for title in ("Plant willows", "Open the weir", "Clean the banks"):
        assert message.body.count(f"City Water answered your proposal “{title}”: Shortlisted.") == 1
    assert "https://example.com/contests/x/proposals/1/" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert not Notification.objects.filter(recipient=digest_reader, emailed_at__isnull=True).exists()

    send_digests()
    assert len(mail.outbox) == 1

    notify(digest_reader, "Fix the bridge")
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = digest_send_all()
    assert (run.emails, run.notifications) == (1, 1)
    assert "Fix the bridge" in mail.outbox[1].body and "Plant willows" not in mail.outbox[1].body


def test_digest_skips_those_who_chose_each_event_or_none(citizen, django_capture_on_commit_callbacks):
    quiet = UserFactory()
    notification_preference_set(user=quiet, email_mode="none")
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "Plant willows")
        notify(quiet, "Plant willows")
    assert [message.to for message in mail.outbox] == [[citizen.email]]  # sent at once, to "each event" only
    assert Notification.objects.get(recipient=citizen).emailed_at is not None
    send_digests()
    assert len(mail.outbox) == 1


def test_switching_to_the_digest_does_not_send_older_notifications(citizen, django_capture_on_commit_callbacks):
    notification_preference_set(user=citizen, email_mode="none")
    notify(citizen, "Old news")
    Notification.objects.update(created_at=timezone.now() - timedelta(days=3))
    notification_preference_set(user=citizen, email_mode="digest")
    notify(citizen, "Fresh news")
    send_digests()
    assert len(mail.outbox) == 1
    assert "Fresh news" in mail.outbox[0].body and "Old news" not in mail.outbox[0].body


def test_each_event_email_carries_a_one_click_unsubscribe_link(citizen, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "Plant willows")
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"https://example\.com(/notifications/unsubscribe/[^/\s]+/)", message.body).group(1)

    page = client.get(link).content.decode()  # no sign-in, no confirmation
    assert "You are unsubscribed" in page
    assert notification_email_mode(user=citizen) == "none"
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "Open the weir")
    assert len(mail.outbox) == 1

    page = client.post(link, {"restore": "each"}).content.decode()  # the page's undo button
    assert "you will get notification emails again" in page
    assert notification_email_mode(user=citizen) == "each"


def test_mail_clients_one_click_post_unsubscribes_without_csrf(citizen):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(citizen)})
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notification_email_mode(user=citizen) == "none"


def test_undo_restores_the_digest_choice(digest_reader, client):
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(digest_reader)})
    page = client.get(url).content.decode()
    assert 'name="restore" value="digest"' in page
    client.post(url, {"restore": "digest"})
    assert notification_email_mode(user=digest_reader) == "digest"


@pytest.mark.parametrize("token", ["nonsense", "e30:1abc:def"])
def test_forged_unsubscribe_token_is_404(client, citizen, token):
    response = client.get(reverse("notifications:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 404
    assert notification_email_mode(user=citizen) == "each"


def test_token_signed_for_another_purpose_is_refused(client, citizen):
    from django.core import signing

    token = signing.dumps({"user": citizen.pk}, salt="some.other.purpose")
    assert client.get(reverse("notifications:unsubscribe", kwargs={"token": token})).status_code == 404
    assert notification_email_mode(user=citizen) == "each"


def test_preference_page_has_labelled_radio_buttons_and_saves(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("notifications:preferences")).content.decode()
    for label in ("An email for each event", "One daily digest", "No emails (notifications stay on the site)"):
        assert label in page
    assert page.count('type="radio"') == 3 and "<legend>" in page
    response = client.post(reverse("notifications:preferences"), {"email_mode": "digest"}, follow=True)
    assert "Your email preference was saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=citizen).email_mode == "digest"


def test_preference_page_refuses_an_unknown_choice(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("notifications:preferences"), {"email_mode": "hourly"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=citizen).exists()


def test_preference_page_needs_sign_in(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_comment_news_follows_the_email_preference(digest_reader, citizen, django_capture_on_commit_callbacks):
    from discussion import services as comment_services
    from tests.factories import ContestFactory, ProposalFactory

    proposal = ProposalFactory(contest=ContestFactory(), author=digest_reader, title="Plant willows")
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(author=citizen, target=proposal, text="Good idea")
    assert mail.outbox == []  # no email per comment for a digest reader
    send_digests()
    assert len(mail.outbox) == 1
    assert "Ada Citizen commented on “Plant willows”." in mail.outbox[0].body


def test_comment_unsubscribe_also_keeps_comments_out_of_the_digest(digest_reader, citizen):
    from discussion import services as comment_services
    from tests.factories import ContestFactory, ProposalFactory

    notification_kinds_mute(user=digest_reader, kinds=["comment_posted", "comment_reply"])
    proposal = ProposalFactory(contest=ContestFactory(), author=digest_reader, title="Plant willows")
    comment_services.comment_post(author=citizen, target=proposal, text="Good idea")
    notify(digest_reader, "Open the weir")
    send_digests()
    assert len(mail.outbox) == 1
    assert "Open the weir" in mail.outbox[0].body and "commented" not in mail.outbox[0].body
