"""Writes for citizen reports: report a problem, say "me too". Workflow changes are in reports.workflow."""

import secrets
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.subscriptions import subscription_set
from reports.coverage import category_check_covers, category_route
from reports.geo import point_check
from reports.live import reports_live_changed
from reports.models import MeToo, Open311Client, Report, ReportPhoto, ReportUpdate, ServiceCategory, api_key_digest
from reports.photos import photos_clean

DESCRIPTION_MAX = 2000


def _description_check(description: str) -> str:
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the problem.")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {"description": _("Keep the description under %(max)s characters.") % {"max": DESCRIPTION_MAX}}
        )
    # Multi-line text: keep line breaks and tabs, drop NUL and the other control characters.
    return "".join(char for char in description if char in "\n\t" or unicodedata.category(char) != "Cc")


def _answers_check(category: ServiceCategory, answers: dict | None) -> dict:
    """Answers to the category's extra questions: required ones present, listed values only, short text."""
    answers = answers or {}
    clean: dict[str, str] = {}
    for question in category.extra_questions or []:
        code = question.get("code")
        value = str(answers.get(code, "") or "").strip()[:500]
        allowed = [str(option.get("key")) for option in question.get("values") or []]
        if not value:
            if question.get("required"):
                raise ValidationError(
                    {"answers": _("Answer: %(question)s") % {"question": question.get("description", code)}}
                )
            continue
        if allowed and value not in allowed:
            raise ValidationError({"answers": _("Choose one of the listed answers.")})
        clean[code] = value
    return clean


@transaction.atomic
def report_create(
    *,
    reporter: User,
    latitude,
    longitude,
    description: str,
    category_code: str = "",
    category: ServiceCategory | None = None,
    photos=(),
    is_anonymous: bool = False,
    address: str = "",
    answers: dict | None = None,
    source_client: Open311Client | None = None,
) -> Report:
    """Report a problem at a point, routed to the agency whose category and area cover it.

    Caller has checked `reports.add_report`. Either `category_code` (routed by the point) or a
    `category` (checked to cover the point) is given. ValidationError for a point off the Earth
    or outside every agency's area, an unknown or other agency's category, a bad photo: nothing
    is stored then. The reporter follows their report.
    """
    try:
        lat, lng = point_check(latitude, longitude)
    except ValidationError as error:
        raise ValidationError({"location": error.messages}) from error
    description = _description_check(description)
    try:
        if category is not None:
            category = category_check_covers(category=category, latitude=lat, longitude=lng)
        else:
            category = category_route(code=category_code, latitude=lat, longitude=lng)
    except ValidationError as error:
        raise ValidationError(
            {"category" if error.code == "unknown_category" else "location": error.messages}
        ) from error
    clean_answers = _answers_check(category, answers)
    try:
        cleaned = photos_clean(photos)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from error
    now = timezone.now()
    report = Report.objects.create(
        category=category,
        agency=category.agency,
        reporter=reporter,
        is_anonymous=bool(is_anonymous),
        description=description,
        address=(address or "").strip()[:300],
        answers=clean_answers,
        latitude=lat,
        longitude=lng,
        due_at=now + timedelta(hours=category.response_hours),
        source_client=source_client,
    )
    for clean, (width, height) in cleaned:
        photo = ReportPhoto(report=report, width=width, height=height)
        photo.image.save(clean.name, clean.content, save=False)
        photo.save()
    ReportUpdate.objects.create(report=report, author=reporter, status=Report.Status.OPEN)
    if source_client is None:
        subscription_set(user=reporter, target=report, follow=True)
    reports_live_changed(agency_ids={report.agency_id})
    return report


@transaction.atomic
def metoo_add(*, user: User, report: Report) -> bool:
    """Add the user's "me too" to the report (and they follow it). False if they had already.

    Caller has checked `reports.add_metoo`. The count is raised in the same transaction as the row,
    and the unique constraint decides between two concurrent clicks, so the count stays exact.
    """
    try:
        with transaction.atomic():
            MeToo.objects.create(report=report, user=user)
    except IntegrityError:
        return False
    Report.objects.filter(pk=report.pk).update(me_too_count=F("me_too_count") + 1)
    subscription_set(user=user, target=report, follow=True)
    reports_live_changed(agency_ids={report.agency_id})
    return True


def open311_client_create(*, name: str, user: User) -> tuple[Open311Client, str]:
    """A client app and its API key (shown once; only its digest is kept)."""
    key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(name=name, user=user, key_digest=api_key_digest(key))
    return client, key


def open311_client_for_key(key: str) -> Open311Client | None:
    if not key or len(key) > 200:
        return None
    return Open311Client.objects.filter(key_digest=api_key_digest(key), is_active=True).select_related("user").first()
