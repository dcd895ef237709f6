"""The contest lifecycle end to end, through the real pages, one browser-like client per person.

A manager publishes a contest; a citizen submits a proposal with a photo (its EXIF/GPS is gone on
download); a co-author accepts the emailed invitation; a second citizen's near-duplicate is flagged
as similar but submitted anyway; the manager merges it into the original, answers the original with
`shortlisted`, and the author sees the notification (in the app and by email).
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contests.models import Contest
from notifications.models import Notification
from proposals.models import Proposal, ProposalAttachment
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DATE_FORMAT = "%Y-%m-%dT%H:%M"
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def client_for(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=TEST_PASSWORD)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def contest_form_data() -> dict:
    """A contest whose submission phase opened an hour ago (dates in the site's time zone, as the form reads them)."""
    start = timezone.localtime(timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    dates = {
        "submission_opens_at": start,
        "submission_closes_at": start + timedelta(days=10),
        "voting_opens_at": start + timedelta(days=10),
        "voting_closes_at": start + timedelta(days=20),
        "review_closes_at": start + timedelta(days=25),
        "results_at": start + timedelta(days=30),
    }
    return {
        "title": "Cleaner rivers",
        "slug": "cleaner-rivers",
        "summary": "Ideas to make our rivers clean again.",
        "description": "Tell us **where** and **how**.",
        "rules": "",
        "rewards": "",
        "categories": "Water\nParks",
        "voting_method": "updown",
        "approval_limit": 3,
        "stars_prior_weight": 5,
        "max_proposals_per_citizen": 3,
        "public_weight": 40,
        "jury_weight": 60,
        "closes_at": "",
        **{field: value.strftime(DATE_FORMAT) for field, value in dates.items()},
    }


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 18.0)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    # The upload really carries the GPS tag, so its absence on download proves the stripping.
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    return data


def test_contest_lifecycle_from_publishing_to_the_authors_notification(
    agency, agency_manager, citizen, django_capture_on_commit_callbacks
):
    coauthor_user = UserFactory(display_name="Cora Coauthor", email="cora@example.org")
    second_citizen = UserFactory(display_name="Sam Second")
    manager = client_for(agency_manager)
    author = client_for(citizen)
    coauthor = client_for(coauthor_user)
    second = client_for(second_citizen)
    public = Client()

    # 1. The manager creates a draft, previews it, publishes it; the public page shows it.
    create_url = reverse("contests:create", kwargs={"agency_slug": agency.slug})
    assert manager.get(create_url).status_code == 200
    response = manager.post(create_url, contest_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = reverse("contests:preview", kwargs={"slug": "cleaner-rivers"})
    assert response["Location"] == preview_url
    contest = Contest.objects.get(slug="cleaner-rivers")
    assert not contest.is_published
    assert public.get(contest.get_absolute_url()).status_code == 404  # drafts stay secret
    response = manager.get(preview_url)
    assert response.status_code == 200
    assert "Draft preview." in response.content.decode()
    assert "Publish contest" in response.content.decode()
    response = manager.post(reverse("contests:publish", kwargs={"slug": contest.slug}))
    assert response.status_code == 302
    assert "The contest is published." in messages_of(response)
    contest.refresh_from_db()
    assert contest.is_published
    response = public.get(contest.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cleaner rivers" in page
    assert "Draft preview." not in page

    # 2. The citizen submits a proposal with a JPEG carrying GPS data; the download has no EXIF.
    create_proposal_url = reverse("proposals:create", kwargs={"contest_slug": contest.slug})
    assert author.get(create_proposal_url).status_code == 200
    water = contest.categories.get(name="Water")
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "river.jpg"
    response = author.post(
        create_proposal_url,
        {
            "title": "Plant willow trees along the river banks",
            "summary": "Willows hold the river banks together and filter the water.",
            "body": "Plant **willows** every ten metres.",
            "category": water.pk,
            "attachments": [photo],
            "submit": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Your proposal was submitted." in messages_of(response)
    original = Proposal.objects.get(author=citizen)
    assert original.status == Proposal.Status.SUBMITTED
    assert original.category == water
    attachment = original.attachments.get()
    assert attachment.kind == ProposalAttachment.Kind.IMAGE
    page = public.get(original.get_absolute_url()).content.decode()
    assert "Plant willow trees along the river banks" in page
    attachment_url = reverse(
        "proposals:attachment",
        kwargs={"contest_slug": contest.slug, "pk": original.pk, "attachment_id": attachment.pk},
    )
    assert f'href="{attachment_url}"' in page
    response = public.get(attachment_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    downloaded = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert downloaded.format == "JPEG"
    assert downloaded.size == (60, 40)
    assert len(downloaded.getexif()) == 0
    assert not downloaded.getexif().get_ifd(GPS_IFD)
    assert "exif" not in downloaded.info

    # 3. The author invites a co-author by email; the co-author opens the link and accepts.
    invite_url = reverse("proposals:invite_coauthor", kwargs={"contest_slug": contest.slug, "pk": original.pk})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(invite_url, {"email": "cora@example.org"})
    assert response.status_code == 302
    assert "The invitation was sent." in messages_of(response)
    (invitation_email,) = [message for message in mail.outbox if message.to == ["cora@example.org"]]
    link = re.search(r"https?://\S+/proposals/invitations/\S+/", invitation_email.body)
    assert link, invitation_email.body
    accept_path = "/" + link.group(0).split("/", 3)[3]
    response = coauthor.get(accept_path)
    assert response.status_code == 200
    assert "Plant willow trees along the river banks" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coauthor.post(accept_path)
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()
    assert "You are now a co-author of this proposal." in messages_of(response)
    assert original.coauthorships.filter(user=coauthor_user).exists()
    assert "Cora Coauthor" in public.get(original.get_absolute_url()).content.decode()
    edit_url = reverse("proposals:edit", kwargs={"contest_slug": contest.slug, "pk": original.pk})
    assert coauthor.get(edit_url).status_code == 200
    assert second.get(edit_url).status_code == 403

    # 4. A second citizen's near-duplicate is flagged while typing and before submitting; they submit anyway.
    similar_url = reverse("proposals:similar", kwargs={"contest_slug": contest.slug})
    response = second.get(similar_url, {"title": "Plant willow trees on the river banks", "summary": ""})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [original.pk]
    duplicate_data = {
        "title": "Plant willow trees on the river banks",
        "summary": "Willow trees would hold the river banks together.",
        "body": "Willows, please.",
        "category": water.pk,
        "submit": "",
    }
    response = second.post(create_proposal_url, duplicate_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Similar proposals already submitted" in page
    assert original.get_absolute_url() in page
    assert "Your proposal was not submitted yet" in page
    assert not Proposal.objects.filter(author=second_citizen).exists()
    response = second.post(create_proposal_url, {**duplicate_data, "submit_anyway": ""})
    assert response.status_code == 302
    assert "Your proposal was submitted." in messages_of(response)
    duplicate = Proposal.objects.get(author=second_citizen)
    assert duplicate.status == Proposal.Status.SUBMITTED

    # 5. The manager merges the duplicate into the original; the duplicate's page now leads there.
    merge_url = reverse("proposals:merge", kwargs={"contest_slug": contest.slug, "pk": duplicate.pk})
    assert second.get(merge_url).status_code == 403
    response = manager.get(merge_url)
    assert response.status_code == 200
    assert f'value="{original.pk}"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(merge_url, {"target": original.pk})
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == original.pk
    response = public.get(duplicate.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()

    # 6. The manager answers the original: shortlisted, with a public text, shown with the agency's name.
    respond_url = reverse("proposals:respond", kwargs={"contest_slug": contest.slug, "pk": original.pk})
    assert author.get(respond_url).status_code == 403
    assert manager.get(respond_url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            respond_url, {"status": "shortlisted", "text": "A strong idea: we will cost it with the parks team."}
        )
    assert response.status_code == 302
    assert "Your answer is published and the authors were notified." in messages_of(response)
    original.refresh_from_db()
    assert original.status == Proposal.Status.SHORTLISTED
    page = public.get(original.get_absolute_url()).content.decode()
    assert "A strong idea: we will cost it with the parks team." in page
    assert "answered by City Water" in page
    assert "Shortlisted" in page

    # 7. The author sees the notification in the app and got an email; so did the co-author.
    notification = Notification.objects.get(recipient=citizen, kind="proposal_status")
    assert notification.url == original.get_absolute_url()
    response = author.get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "City Water answered your proposal" in page
    assert "Plant willow trees along the river banks" in page
    assert f'href="{original.get_absolute_url()}"' in page
    recipients = {address for message in mail.outbox for address in message.to}
    assert citizen.email in recipients
    assert "cora@example.org" in recipients
    assert second_citizen.email not in recipients
