"""Writes for task campaigns: posting, proof, review (with automatic approval) and points on approval.

Points are credited in the transaction that approves the work (engagement.services.points_award,
the campaign's reward as the amount), so approved work and its points are stored together.
Claiming and releasing are in microtasks.claims; data tasks in microtasks.datatasks.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.sanitize import has_unsafe_link
from common.uploads import clean_image_upload
from engagement.services import points_award
from microtasks.claims import slots_free
from microtasks.live import task_board_changed
from microtasks.models import Campaign, Claim, Submission
from microtasks.notifications import TASK_APPROVED, TASK_REJECTED
from microtasks.points import TASK_APPROVED as TASK_APPROVED_POINTS
from microtasks.rules import Refusal
from notifications.services import notification_notify

MAX_QUESTIONS = 10
MAX_ANSWER_LENGTH = 500
EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def campaign_validate(campaign: Campaign) -> None:
    """Raise ValidationError with field errors for a campaign that cannot run."""
    errors = {}
    if campaign.ends_at and campaign.starts_at and campaign.ends_at <= campaign.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if has_unsafe_link(campaign.instructions):
        errors["instructions"] = _("Links may only use http, https or mailto.")
    place = [campaign.latitude, campaign.longitude, campaign.radius_m]
    if any(value is not None for value in place) and not all(value is not None for value in place):
        errors["radius_m"] = _("A place needs a latitude, a longitude and a radius.")
    if campaign.latitude is not None and not -90 <= campaign.latitude <= 90:
        errors["latitude"] = _("Latitude must be between -90 and 90.")
    if campaign.longitude is not None and not -180 <= campaign.longitude <= 180:
        errors["longitude"] = _("Longitude must be between -180 and 180.")
    questions = campaign.questions or []
    if (
        not isinstance(questions, list)
        or len(questions) > MAX_QUESTIONS
        or not all(isinstance(q, str) and 0 < len(q) <= 200 for q in questions)
    ):
        errors["questions"] = _("Up to 10 questions, each a line of at most 200 characters.")
    if campaign.kind == Campaign.Kind.DATA:
        choices = campaign.choices or []
        if not isinstance(choices, list) or not 2 <= len(choices) <= 20 or len(set(choices)) != len(choices):
            errors["choices"] = _("A data task needs 2 to 20 different answer choices.")
        elif not all(isinstance(c, str) and 0 < len(c) <= 100 for c in choices):
            errors["choices"] = _("Each answer choice is at most 100 characters.")
        if not 0 < campaign.agreement < 1:
            errors["agreement"] = _("Agreement is a share between 0 and 1.")
        if campaign.answers_per_item < 1:
            errors["answers_per_item"] = _("Each item needs at least one answer.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(*, agency, created_by: User, **fields) -> Campaign:
    """Post a campaign for the agency. Caller has checked `microtasks.add_campaign` on the agency."""
    campaign = Campaign(agency=agency, created_by=created_by, **fields)
    campaign_validate(campaign)
    campaign.full_clean(exclude=["created_by"])
    campaign.save()
    task_board_changed()
    return campaign


def _clean_answers(campaign: Campaign, answers) -> dict:
    if not isinstance(answers, dict):
        raise Refusal(_("Answers must be given per question."))
    cleaned = {}
    for index, question in enumerate(campaign.questions or []):
        value = answers.get(str(index), answers.get(index, ""))
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            raise Refusal(_("Answer every question (“%(question)s” is empty).") % {"question": question})
        if len(value) > MAX_ANSWER_LENGTH:
            raise Refusal(_("An answer may be at most 500 characters."))
        cleaned[str(index)] = value
    return cleaned


@transaction.atomic
def submission_submit(
    *, citizen: User, claim_id: int, photo, latitude, longitude, answers, now: datetime | None = None
) -> Submission:
    """Hand in the proof of a field task: a photo (re-encoded, EXIF stripped), a position (within the campaign's
    radius when it has a place) and the answers. Refusal, with nothing stored, for bad proof."""
    now = now or timezone.now()
    claim = Claim.objects.select_for_update().select_related("campaign").filter(pk=claim_id, citizen=citizen).first()
    if claim is None:
        raise Refusal(_("No such claim."), 404)
    campaign = claim.campaign
    if campaign.kind != Campaign.Kind.FIELD:
        raise Refusal(_("Data tasks are answered item by item."))
    if claim.status != Claim.Status.ACTIVE or claim.is_overdue(now):
        raise Refusal(_("This claim is not in progress any more."), 409)
    if photo is None:
        raise Refusal(_("Add a photo as proof."))
    try:
        clean = clean_image_upload(photo, max_bytes=settings.MICROTASKS_PHOTO_MAX_BYTES)
    except ValidationError as error:
        raise Refusal(" ".join(error.messages)) from error
    try:
        lat = float(latitude) if latitude not in (None, "") else None
        lon = float(longitude) if longitude not in (None, "") else None
    except (TypeError, ValueError) as error:
        raise Refusal(_("The position must be numbers.")) from error
    if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
        raise Refusal(_("Give both latitude and longitude, in degrees."))
    if campaign.has_place:
        if lat is None:
            raise Refusal(_("This task needs your position."))
        distance = distance_m(lat, lon, campaign.latitude, campaign.longitude)
        if distance > campaign.radius_m:
            raise Refusal(
                _("Your position is %(distance)s m from the place; it must be within %(radius)s m.")
                % {"distance": round(distance), "radius": campaign.radius_m}
            )
    cleaned = _clean_answers(campaign, answers)
    submission = Submission(
        claim=claim,
        round=2 if claim.redo_used else 1,
        latitude=lat,
        longitude=lon,
        answers=cleaned,
        submitted_at=now,
        review_due_at=Submission.due_from(campaign, now),
    )
    submission.photo.save(clean.name, clean.content, save=False)
    submission.save()
    claim.status = Claim.Status.SUBMITTED
    claim.save(update_fields=["status"])
    return submission


def _approve(submission: Submission, *, reviewer: User | None, now: datetime, auto: bool) -> None:
    claim, campaign = submission.claim, submission.claim.campaign
    submission.status, submission.reviewed_at, submission.reviewed_by = Submission.Status.APPROVED, now, reviewer
    submission.auto_approved = auto
    submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "auto_approved"])
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.APPROVED, closed_at=now)
    points_award(
        user_id=claim.citizen_id,
        action=TASK_APPROVED_POINTS.key,
        target=submission,
        contest_id=None,
        points=campaign.reward_points,
        now=now,
    )
    notification_notify(
        recipients=[claim.citizen],
        kind=TASK_APPROVED.key,
        data={"campaign_title": campaign.title, "points": campaign.reward_points},
        url=campaign.get_absolute_url(),
    )


def _reject(submission: Submission, *, reviewer: User | None, reason: str, now: datetime) -> None:
    claim, campaign = submission.claim, submission.claim.campaign
    submission.status, submission.reviewed_at, submission.reviewed_by = Submission.Status.REJECTED, now, reviewer
    submission.reason = reason
    submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "reason"])
    redo = campaign.allow_redo and not claim.redo_used and now < campaign.ends_at
    if redo:
        # The slot stays with the citizen for one more try, with a fresh time limit.
        claim.status, claim.redo_used, claim.reminded = Claim.Status.ACTIVE, True, False
        claim.expires_at = now + timedelta(minutes=campaign.claim_minutes)
        claim.save(update_fields=["status", "redo_used", "reminded", "expires_at"])
    else:
        claim.status, claim.closed_at = Claim.Status.REJECTED, now
        claim.save(update_fields=["status", "closed_at"])
        slots_free(campaign_counts={campaign.pk: 1})
    notification_notify(
        recipients=[claim.citizen],
        kind=TASK_REJECTED.key,
        data={"campaign_title": campaign.title, "reason": reason, "redo": redo},
        url=campaign.get_absolute_url(),
    )


def _locked_submission(submission_id: int):
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("claim__campaign__agency", "claim__citizen")
        .filter(pk=submission_id)
        .first()
    )


@transaction.atomic
def submission_review(
    *, reviewer: User, submission_id: int, approve: bool, reason: str = "", now: datetime | None = None
) -> Submission:
    """Approve (crediting the reward) or reject (with a reason) pending work within the review window.
    Caller has checked `microtasks.review_submission` on the campaign."""
    now = now or timezone.now()
    submission = _locked_submission(submission_id)
    if submission is None:
        raise Refusal(_("No such submission."), 404)
    if submission.status != Submission.Status.PENDING:
        raise Refusal(_("This work has already been reviewed."), 409)
    if now > submission.review_due_at:
        raise Refusal(_("The review window has closed; the work is approved automatically."), 409)
    reason = (reason or "").strip()
    if approve:
        _approve(submission, reviewer=reviewer, now=now, auto=False)
    else:
        if not reason:
            raise Refusal(_("Say why the work is rejected."))
        if len(reason) > 500:
            raise Refusal(_("A reason may be at most 500 characters."))
        _reject(submission, reviewer=reviewer, reason=reason, now=now)
    return submission


def submissions_auto_approve(*, now: datetime | None = None) -> int:
    """Approve pending work whose review window has passed (beat job; safe to run twice). How many."""
    now = now or timezone.now()
    due = Submission.objects.filter(status=Submission.Status.PENDING, review_due_at__lt=now)
    approved = 0
    for submission_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            submission = _locked_submission(submission_id)
            if submission is None or submission.status != Submission.Status.PENDING:
                continue
            _approve(submission, reviewer=None, now=now, auto=True)
            approved += 1
    return approved
