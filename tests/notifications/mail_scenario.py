"""The issue's scenario, shared by the embedded (eager) test and the real-worker test.

With the mail server down, a new user signs up, a citizen comments, a manager answers
officially and invites a reviewer, all through the HTTP endpoints. Every answer is a success,
each write is stored once, and every email waits in the outbox.
"""

from __future__ import annotations

from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from accounts.models import User
from jury.models import ContestReviewer
from notifications.models import OutgoingEmail
from notifications.subscriptions import subscription_set
from proposals.models import ProposalStatusChange
from tests.factories import AgencyFactory, ContestFactory, MembershipFactory, ProposalFactory, UserFactory
from tests.mailserver import SMTPSink

NEW_USER = "newt@example.org"
REVIEWER = "rita@example.org"


def smtp_settings(settings, sink: SMTPSink) -> None:
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_TIMEOUT = 5


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def requests_while_mail_is_down() -> None:
    """Make the four requests; assert each succeeded and stored its write once."""
    Site.objects.update_or_create(pk=1, defaults={"domain": "civitas.test", "name": "Civitas"})
    agency = AgencyFactory(name="City Water", slug="city-water")
    manager = MembershipFactory(agency=agency, role="manager", user__display_name="Mara Manager").user
    contest = ContestFactory(agency=agency, slug="clean-rivers", title="Clean rivers")
    proposal = ProposalFactory(contest=contest, title="Plant willows")
    follower = UserFactory(display_name="Fay Follower")
    subscription_set(user=follower, target=proposal, follow=True)
    commenter = UserFactory(display_name="Cai Commenter")

    signup = Client().post(
        reverse("account_signup"),
        {
            "email": NEW_USER,
            "display_name": "Newt",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert signup.status_code == 302, signup.content  # to "check your inbox", as when mail works
    assert signup["Location"] == reverse("account_email_verification_sent")

    comment = signed_in(commenter).post(
        f"/api/v1/proposals/{proposal.pk}/comments/", {"text": "Willows, yes."}, content_type="application/json"
    )
    assert comment.status_code == 201, comment.content

    answer = signed_in(manager).post(
        f"/api/v1/proposals/{proposal.pk}/response/",
        {"status": "shortlisted", "text": "Good idea."},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content

    invite = signed_in(manager).post(
        f"/api/v1/contests/{contest.slug}/reviewers/", {"email": REVIEWER}, content_type="application/json"
    )
    assert invite.status_code == 201, invite.content

    assert User.objects.filter(email=NEW_USER).count() == 1
    assert XtdComment.objects.filter(comment="Willows, yes.").count() == 1
    assert ProposalStatusChange.objects.filter(proposal=proposal, status="shortlisted").count() == 1
    assert ContestReviewer.objects.filter(contest=contest, email=REVIEWER).count() == 1


def assert_every_email_arrived_once(received) -> None:
    """Each outbox row arrived exactly once, and they include each request's emails."""
    rows = list(OutgoingEmail.objects.all())
    assert {row.status for row in rows} == {OutgoingEmail.Status.SENT}
    ids = [item.message_id for item in received]
    assert sorted(ids) == sorted(row.headers["Message-ID"] for row in rows)  # no duplicate, none missing
    recipients = [item.recipients[0] for item in received]
    assert recipients.count(NEW_USER) == 1  # the verification email
    assert recipients.count(REVIEWER) == 1  # the invitation
    subjects = " | ".join(item.message["Subject"] for item in received)
    assert "Cai Commenter" in subjects  # the comment reached the author and the follower
    assert len(received) >= 6, subjects  # + the answer to the author and to the follower
