"""Data export, account deletion and the retention purge, through the real pages and API."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from rest_framework.test import APIClient

from accounts.models import User
from discussion.services import comment_post
from engagement.models import PointsEntry
from engagement.services import points_sync
from notifications.services import notification_notify
from notifications.subscriptions import subscription_set
from privacy.services import personal_logs_purge
from privacy.tasks import personal_logs_purge_run
from proposals.models import Proposal
from tests.factories import (
    TEST_PASSWORD,
    ContestFactory,
    ContestReviewerFactory,
    ProposalCoAuthorFactory,
    ProposalFactory,
    UserFactory,
)
from voting.models import Vote
from voting.services import vote_cast


@pytest.fixture
def everything(db):
    """A user with every kind of contribution: a proposal, a co-authorship, a comment, a vote, a review,
    points, a notification and a follow."""
    contest = ContestFactory(slug="rivers", voting=True)
    ada = UserFactory(email="ada.private@example.org", display_name="Ada Lovelace")
    own = ProposalFactory(contest=contest, author=ada, title="Ada's river plan")
    other = ProposalFactory(contest=contest, title="Someone's park plan")
    ProposalCoAuthorFactory(proposal=other, user=ada)
    comment_post(author=ada, target=other, text="Ada's remark on the park", ip_address="203.0.113.7")
    vote_cast(voter=ada, proposal=ProposalFactory(contest=contest), value=1)
    ContestReviewerFactory(contest=contest, user=ada)
    points_sync(target=own)
    notification_notify(recipients=[ada], kind="comment_reply", data={}, url="/", send_email=False)
    subscription_set(user=ada, target=contest, follow=True)
    return {"ada": ada, "own": own, "other": other, "contest": contest}


def test_the_export_holds_everything_and_no_secret(client, everything):
    client.force_login(everything["ada"])
    page = client.get("/account/privacy/")
    assert page.status_code == 200 and "/account/privacy/data.json" in page.content.decode()
    download = client.get("/account/privacy/data.json")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["account"]["email"] == "ada.private@example.org"
    sections = data["data"]
    for label in [
        "account.emailaddress",
        "proposals.proposal",
        "proposals.proposalcoauthor",
        "django_comments.comment",
        "voting.vote",
        "jury.contestreviewer",
        "engagement.pointsentry",
        "notifications.notification",
        "notifications.subscription",
    ]:
        assert sections.get(label), f"{label} missing from the export"
    text = download.content.decode()
    assert "Ada's river plan" in text and "Ada's remark on the park" in text
    assert "md5$" not in text and "pbkdf2" not in text  # no password hash


def test_the_api_export_needs_a_sign_in_and_returns_the_same(everything):
    api = APIClient()
    assert api.get("/api/v1/account/data/").status_code in (401, 403)
    api.force_authenticate(everything["ada"])
    response = api.get("/api/v1/account/data/")
    assert response.status_code == 200
    assert response.json()["account"]["display_name"] == "Ada Lovelace"
    assert response.json()["data"]["voting.vote"][0]["value"] == 1


def test_deleting_the_account_keeps_contributions_as_deleted_user(client, everything):
    ada = everything["ada"]
    client.force_login(ada)
    refused = client.post("/account/privacy/", {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400
    response = client.post("/account/privacy/", {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert not ada.is_active and "ada.private" not in ada.email and not ada.emailaddress_set.exists()
    assert Proposal.objects.filter(pk=everything["own"].pk).exists()
    assert Vote.objects.filter(voter=ada).count() == 1  # still counted
    comment = XtdComment.objects.get(user=ada)
    assert comment.ip_address is None and comment.user_email == ""
    assert not ada.subscriptions.exists() and not ada.notifications.exists()
    anonymous = APIClient()
    page = anonymous.get(everything["own"].get_absolute_url()).content.decode()
    assert "Deleted user" in page and "Ada Lovelace" not in page
    thread = anonymous.get(f"/api/v1/proposals/{everything['other'].pk}/comments/").content.decode()
    assert "Deleted user" in thread and "Ada Lovelace" not in thread
    assert anonymous.get(f"/users/{ada.pk}/").status_code in (200, 404)
    assert "ada.private" not in anonymous.get(f"/users/{ada.pk}/").content.decode()
    # The session ended; signing in again is impossible.
    assert client.get("/account/privacy/").status_code == 302
    assert not client.login(email="ada.private@example.org", password=TEST_PASSWORD)
    assert PointsEntry.objects.filter(user=ada).exists()
    assert User.objects.filter(pk=ada.pk).exists()


def test_comment_ip_addresses_are_purged_after_the_retention_period(everything, settings):
    settings.PERSONAL_LOG_RETENTION_DAYS = 30
    comment = XtdComment.objects.get(user=everything["ada"])
    assert personal_logs_purge() == 0  # fresh: kept
    XtdComment.objects.filter(pk=comment.pk).update(submit_date=timezone.now() - timedelta(days=31))
    assert personal_logs_purge_run() == 1
    comment.refresh_from_db()
    assert comment.ip_address is None
    assert personal_logs_purge() == 0  # safe to run twice


def test_the_purge_is_a_beat_timer(settings):
    assert settings.CELERY_BEAT_SCHEDULE["personal-logs-purge"]["task"] == "privacy.tasks.personal_logs_purge_run"
