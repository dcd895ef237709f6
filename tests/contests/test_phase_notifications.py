"""`manage.py send_phase_notifications`: each contest event notified once, to the right people, idempotently."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override

from contests.models import Contest, PhaseNotificationSent
from contests.notifications import phase_notifications_send
from notifications.kinds import notification_text
from notifications.models import Notification
from notifications.subscriptions import subscription_set
from tests.factories import ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def ahead(**kwargs):
    return timezone.now() + timedelta(**kwargs)


@pytest.fixture
def contest(agency):
    """Voting opened an hour ago; submission opened and closed long before (stale by then)."""
    return ContestFactory(
        agency=agency,
        title="Clean rivers",
        published_at=ago(days=20),
        submission_opens_at=ago(days=10),
        submission_closes_at=ago(hours=1),
        voting_opens_at=ago(hours=1),
        voting_closes_at=ahead(days=5),
    )


def phase_notices(**filters):
    return Notification.objects.filter(kind="contest_phase", **filters)


def test_followers_authors_and_coauthors_get_the_phase_change_once(contest):
    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    proposal = ProposalFactory(contest=contest)
    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    ProposalFactory(contest=contest, status="draft", submitted_at=None)  # a draft's author is not told
    bystander = UserFactory()

    call_command("send_phase_notifications")

    told = set(phase_notices().values_list("recipient_id", flat=True))
    assert told == {follower.pk, proposal.author_id, coauthor.pk}
    assert not phase_notices(recipient=bystander).exists()
    # The voting and the submission close events are within the grace window; the opening is stale.
    events = set(PhaseNotificationSent.objects.filter(contest=contest).values_list("phase", flat=True))
    assert events == {"published", "submission_opens", "submission_closes", "voting_opens"}
    notice = phase_notices(recipient=follower, data__event="voting_opens").get()
    assert notification_text(notice) == "Voting is open in “Clean rivers”."
    assert notice.url == contest.get_absolute_url()
    assert phase_notices(recipient=follower).count() == 2  # submission closed, voting opened


def test_running_the_command_twice_sends_nothing_new(contest, capsys):
    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    call_command("send_phase_notifications")
    first = Notification.objects.count()
    call_command("send_phase_notifications")
    assert Notification.objects.count() == first == 2
    assert "events sent: 0, notifications: 0" in capsys.readouterr().out.splitlines()[-1]


def test_an_event_is_claimed_once_by_the_database(contest):
    PhaseNotificationSent.objects.create(contest=contest, phase="voting_opens")
    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    phase_notifications_send()
    assert not phase_notices(data__event="voting_opens").exists()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseNotificationSent.objects.create(contest=contest, phase="voting_opens")


def test_stale_events_are_recorded_without_notifying(contest):
    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    run = phase_notifications_send()
    assert not phase_notices(data__event="submission_opens").exists()
    assert PhaseNotificationSent.objects.get(contest=contest, phase="submission_opens").recipient_count == 0
    assert run.events_skipped_stale == 2  # published 20 days ago, submission opened 10 days ago


def test_future_events_wait_until_their_moment(contest):
    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    phase_notifications_send()
    assert not PhaseNotificationSent.objects.filter(contest=contest, phase="results_published").exists()
    run = phase_notifications_send(now=contest.results_at + timedelta(minutes=5))
    assert run.events_sent == 1
    notice = phase_notices(recipient=follower, data__event="results_published").get()
    assert notification_text(notice) == "The results of “Clean rivers” are published."


def test_results_published_early_by_the_managers_are_announced(contest):

    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    Contest.objects.filter(pk=contest.pk).update(results_published_at=ago(minutes=1))
    phase_notifications_send()
    assert phase_notices(recipient=follower, data__event="results_published").exists()


def test_agency_followers_hear_of_a_newly_published_contest(agency):
    follower = UserFactory()
    subscription_set(user=follower, target=agency, follow=True)
    draft = ContestFactory(agency=agency, draft=True, title="Quiet streets", upcoming=True)
    phase_notifications_send()
    assert not Notification.objects.filter(kind="contest_published").exists()

    draft.is_published = True
    draft.published_at = timezone.now()
    draft.save()
    phase_notifications_send()
    phase_notifications_send()
    notice = Notification.objects.get(kind="contest_published")
    assert notice.recipient == follower
    assert notification_text(notice) == f"{agency.name} published a new contest: “Quiet streets”."
    with override("zh-hans"):
        assert "Quiet streets" in notification_text(notice)


def test_phase_notifications_are_emailed_to_those_who_want_each_event(contest, django_capture_on_commit_callbacks):
    from django.core import mail

    follower = UserFactory()
    subscription_set(user=follower, target=contest, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        phase_notifications_send()
    assert len(mail.outbox) == 2
    assert all(message.to == [follower.email] for message in mail.outbox)
    assert any("Voting is open in “Clean rivers”." in message.body for message in mail.outbox)
