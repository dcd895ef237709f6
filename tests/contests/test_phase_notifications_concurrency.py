"""Two copies of the scheduled commands running at once still send each event and each digest once (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from contests.models import PhaseNotificationSent
from contests.notifications import phase_notifications_send
from notifications.digest import digest_send_all
from notifications.models import Notification
from notifications.services import notification_notify, notification_preference_set
from notifications.subscriptions import subscription_set
from tests.factories import ContestFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent writers need PostgreSQL"),
]


def run_twice_at_once(function):
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_phase_runs_send_each_event_once():
    now = timezone.now()
    contests = [
        ContestFactory(
            submission_opens_at=now - timedelta(days=1),
            submission_closes_at=now - timedelta(minutes=10),
            voting_opens_at=now - timedelta(minutes=10),
            voting_closes_at=now + timedelta(days=3),
        )
        for _ in range(5)
    ]
    followers = [UserFactory() for _ in range(3)]
    for contest in contests:
        for follower in followers:
            subscription_set(user=follower, target=contest, follow=True)
    run_twice_at_once(phase_notifications_send)
    # Per contest: submission opened, submission closed, voting opened -> 3 events x 3 followers.
    assert Notification.objects.count() == 5 * 3 * 3
    assert PhaseNotificationSent.objects.filter(phase="voting_opens").count() == 5


def test_concurrent_digest_runs_send_one_digest():
    user = UserFactory()
    notification_preference_set(user=user, email_mode="digest")
    for number in range(4):
        notification_notify(recipients=[user], kind="contest_phase", data={"contest_title": f"C{number}"})
    run_twice_at_once(digest_send_all)
    assert len(mail.outbox) == 1
    assert all(f"C{number}" in mail.outbox[0].body for number in range(4))
