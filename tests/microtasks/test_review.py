"""Proof, review, automatic approval, redo, and the points that follow approval."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from engagement.selectors import points_total
from microtasks import claims, services
from microtasks.models import Campaign, Claim, Submission
from microtasks.rules import Refusal
from microtasks.selectors import agency_task_figures
from notifications.kinds import notification_text
from notifications.models import Notification
from tests.microtasks.factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db


def _submit(citizen, campaign, **overrides):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    fields = {"photo": photo_upload(), "latitude": None, "longitude": None, "answers": {"0": "Yes, it is."}}
    return services.submission_submit(citizen=citizen, claim_id=claim.pk, **(fields | overrides))


def test_proof_photo_is_stored_without_exif(campaign, citizen):
    submission = _submit(citizen, campaign)
    with Image.open(submission.photo.path) as image:
        assert not image.getexif()
    assert submission.answers == {"0": "Yes, it is."}
    assert Claim.objects.get(pk=submission.claim_id).status == Claim.Status.SUBMITTED


def test_approval_credits_the_campaign_reward_and_notifies(campaign, citizen, agency_manager):
    submission = _submit(citizen, campaign)
    services.submission_review(reviewer=agency_manager, submission_id=submission.pk, approve=True)
    assert points_total(user=citizen) == 15
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED
    [note] = Notification.objects.filter(recipient=citizen, kind="task_approved")
    assert notification_text(note) == "Your work on “Bus stop timetables” was approved: 15 points."
    with pytest.raises(Refusal, match="already been reviewed"):
        services.submission_review(reviewer=agency_manager, submission_id=submission.pk, approve=True)
    assert points_total(user=citizen) == 15
    figures = agency_task_figures(agency=campaign.agency)
    assert figures["tasks_completed"] == 1 and figures["points_paid"] == 15 and figures["tasks_posted"] == 5


def test_rejection_needs_a_reason_and_frees_the_slot(campaign, citizen, agency_manager):
    submission = _submit(citizen, campaign)
    with pytest.raises(Refusal, match="Say why"):
        services.submission_review(reviewer=agency_manager, submission_id=submission.pk, approve=False)
    services.submission_review(
        reviewer=agency_manager, submission_id=submission.pk, approve=False, reason="The photo shows another stop."
    )
    assert Claim.objects.get(pk=submission.claim_id).status == Claim.Status.REJECTED
    assert Campaign.objects.get(pk=campaign.pk).slots_taken == 0
    assert points_total(user=citizen) == 0
    [note] = Notification.objects.filter(recipient=citizen, kind="task_rejected")
    assert "The photo shows another stop." in notification_text(note)


def test_rejected_work_can_be_redone_once_when_the_campaign_allows(agency, citizen, agency_manager):
    campaign = CampaignFactory(agency=agency, allow_redo=True)
    first = _submit(citizen, campaign)
    services.submission_review(reviewer=agency_manager, submission_id=first.pk, approve=False, reason="Blurred.")
    claim = Claim.objects.get(pk=first.claim_id)
    assert claim.status == Claim.Status.ACTIVE and claim.redo_used
    assert "You may redo it once." in notification_text(Notification.objects.get(kind="task_rejected"))
    second = services.submission_submit(
        citizen=citizen, claim_id=claim.pk, photo=photo_upload(), latitude=None, longitude=None, answers={"0": "Yes"}
    )
    assert second.round == 2
    services.submission_review(reviewer=agency_manager, submission_id=second.pk, approve=False, reason="Still.")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.REJECTED
    assert Campaign.objects.get(pk=campaign.pk).slots_taken == 0


def test_past_the_review_window_work_is_approved_automatically(campaign, citizen, agency_manager):
    submission = _submit(citizen, campaign)
    late = submission.review_due_at + timedelta(minutes=1)
    with pytest.raises(Refusal, match="review window has closed"):
        services.submission_review(
            reviewer=agency_manager, submission_id=submission.pk, approve=False, reason="x", now=late
        )
    assert services.submissions_auto_approve(now=late) == 1
    assert services.submissions_auto_approve(now=late) == 0
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED and submission.auto_approved
    assert points_total(user=citizen) == 15


def test_proof_outside_the_radius_is_refused_and_nothing_is_stored(agency, citizen):
    campaign = CampaignFactory(agency=agency, latitude=31.2304, longitude=121.4737, radius_m=200)
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    proof = {"photo": photo_upload(), "answers": {"0": "Yes"}}
    with pytest.raises(Refusal, match="must be within 200 m"):
        services.submission_submit(citizen=citizen, claim_id=claim.pk, latitude=31.2404, longitude=121.4737, **proof)
    with pytest.raises(Refusal, match="needs your position"):
        services.submission_submit(citizen=citizen, claim_id=claim.pk, latitude=None, longitude=None, **proof)
    assert not Submission.objects.exists()
    inside = services.submission_submit(
        citizen=citizen,
        claim_id=claim.pk,
        latitude=31.2310,
        longitude=121.4740,
        photo=photo_upload(),
        answers={"0": "Y"},
    )
    assert inside.latitude == pytest.approx(31.2310)


def test_proof_needs_every_answer_and_a_real_image(campaign, citizen):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    with pytest.raises(Refusal, match="Answer every question"):
        services.submission_submit(
            citizen=citizen, claim_id=claim.pk, photo=photo_upload(), latitude=None, longitude=None, answers={}
        )
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(Refusal, match="not a valid image"):
        services.submission_submit(
            citizen=citizen, claim_id=claim.pk, photo=fake, latitude=None, longitude=None, answers={"0": "Y"}
        )
    assert not Submission.objects.exists()


def test_an_expired_claim_takes_no_proof(campaign, citizen):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    with pytest.raises(Refusal, match="not in progress"):
        services.submission_submit(
            citizen=citizen,
            claim_id=claim.pk,
            photo=photo_upload(),
            latitude=None,
            longitude=None,
            answers={"0": "Y"},
            now=timezone.now() + timedelta(hours=2),
        )
