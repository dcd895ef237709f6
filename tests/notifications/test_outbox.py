"""The outbox with a real SMTP server on 127.0.0.1 (tasks run eagerly, as in the embedded default).

A mail server that is down never fails a request; the emails wait and arrive once it is back.
"""

import smtplib

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.db import transaction
from django.urls import reverse

from notifications import tasks
from notifications.emails import email_send
from notifications.models import OutgoingEmail
from notifications.outbox import email_deliver, error_is_transient
from notifications.services import notification_notify
from tests.factories import UserFactory
from tests.mailserver import SMTPSink
from tests.notifications.mail_scenario import (
    assert_every_email_arrived_once,
    requests_while_mail_is_down,
    smtp_settings,
)

Status = OutgoingEmail.Status


@pytest.fixture
def sink():
    sink = SMTPSink()
    yield sink
    sink.stop()


@pytest.fixture
def mail_via_smtp(settings, sink):
    smtp_settings(settings, sink)
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0  # due again at once, for the sweep below
    settings.EMAIL_SWEEP_GRACE_SECONDS = 0


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_fails_no_request_and_every_email_arrives_once_it_is_back(sink, mail_via_smtp):
    requests_while_mail_is_down()  # nothing listens on the port yet

    rows = list(OutgoingEmail.objects.all())
    assert rows and all(row.status == Status.PENDING and row.attempts <= 1 for row in rows)
    tried = [row for row in rows if row.attempts]  # a batch stops at its first refused connection
    assert tried and all("Connection" in row.last_error for row in tried)

    sink.start()
    tasks.outgoing_emails_sweep.delay()  # what beat runs every minute
    assert_every_email_arrived_once(sink.messages())

    tasks.outgoing_emails_sweep.delay()  # a second sweep finds nothing to send
    assert len(sink.messages()) == len(rows)


@pytest.mark.django_db(transaction=True)
def test_a_display_name_with_a_line_break_cannot_break_a_send_or_add_a_header(sink, mail_via_smtp):
    sink.start()
    eli = UserFactory(display_name="Eli\r\nBcc: victim@example.org")  # stored before names were checked
    readers = UserFactory.create_batch(3)
    notification_notify(
        recipients=readers, kind="comment_posted", data={"commenter_name": eli.display_name, "title": "Plant\nwillows"}
    )

    received = sink.messages()
    assert sorted(item.recipients for item in received) == sorted((reader.email,) for reader in readers)
    for item in received:
        assert item.message["Bcc"] is None
        assert "\n" not in item.message["Subject"] and "Eli Bcc: victim@example.org" in item.message["Subject"]
    assert "victim@example.org" not in [address for item in received for address in item.recipients]


@pytest.mark.django_db(transaction=True)
def test_a_refused_recipient_ends_failed_and_the_admin_can_send_it_again(sink, mail_via_smtp, site_admin, client):
    with transaction.atomic():
        email_send(to="nobody@example.org", subject="Hello", body="Hi")
    row = OutgoingEmail.objects.get()
    assert row.status == Status.PENDING and row.attempts == 1  # the server was down: a transient error

    sink.start()
    row.next_attempt_at = row.created_at
    row.status = Status.FAILED
    row.save()
    client.force_login(site_admin)
    changelist = reverse("admin:notifications_outgoingemail_changelist")
    page = client.get(changelist + "?status__exact=failed")
    assert "nobody@example.org" in page.content.decode()

    response = client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]}, follow=True)

    assert "1 email queued again." in response.content.decode()
    assert [item.recipients for item in sink.messages()] == [("nobody@example.org",)]
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_permanent_errors_are_not_retried_and_transient_ones_are():
    assert error_is_transient(ConnectionRefusedError())
    assert error_is_transient(smtplib.SMTPServerDisconnected())
    assert error_is_transient(smtplib.SMTPDataError(451, b"try later"))
    assert not error_is_transient(smtplib.SMTPDataError(554, b"no"))
    assert not error_is_transient(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}))
    assert not error_is_transient(ValueError("bad header"))


@pytest.mark.django_db
def test_an_email_that_keeps_failing_ends_failed_after_the_last_attempt(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTPSink().port  # nothing listens there
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="a@example.org", subject="Hello", body="Hi")
    row = OutgoingEmail.objects.get()
    for _ in range(5):
        email_deliver(email_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)


@pytest.mark.django_db
def test_a_sent_email_is_never_sent_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="a@example.org", subject="Hello", body="Hi", key="event:1")
        assert not email_send(to="a@example.org", subject="Hello", body="Hi", key="event:1")  # same event
    row = OutgoingEmail.objects.get()
    tasks.email_deliver.delay(row.pk)  # a redelivered task
    email_deliver(email_id=row.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Civitas] Hello"


def test_the_outbox_is_in_the_admin():
    assert OutgoingEmail in admin_site._registry


@pytest.mark.django_db
def test_the_file_backend_writes_into_email_file_path(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="a@example.org", subject="Filed", body="Hi")
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert "Subject: [Civitas] Filed" in "".join(path.read_text() for path in tmp_path.iterdir())
