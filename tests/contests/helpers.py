"""Valid inputs for contest forms and API calls, to change one thing at a time in tests."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

DATE_FORMAT = "%Y-%m-%dT%H:%M"


def contest_dates(start=None, *, as_text=False) -> dict:
    """A valid set of dates starting a day from now (or `start`)."""
    start = start or timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    dates = {
        "submission_opens_at": start,
        "submission_closes_at": start + timedelta(days=10),
        "voting_opens_at": start + timedelta(days=10),
        "voting_closes_at": start + timedelta(days=20),
        "review_closes_at": start + timedelta(days=25),
        "results_at": start + timedelta(days=30),
    }
    if as_text:
        return {key: value.strftime(DATE_FORMAT) for key, value in dates.items()}
    return dates


def contest_form_data(**overrides) -> dict:
    data = {
        "title": "Greener streets",
        "slug": "",
        "summary": "Ideas for more trees.",
        "description": "Tell us **where**.",
        "rules": "",
        "rewards": "",
        "categories": "Trees\nParks",
        "voting_method": "updown",
        "approval_limit": 3,
        "stars_prior_weight": 5,
        "max_proposals_per_citizen": 3,
        "public_weight": 40,
        "jury_weight": 60,
        **contest_dates(as_text=True),
        "closes_at": "",
    }
    data.update(overrides)
    return data


def contest_api_data(agency_slug: str, **overrides) -> dict:
    data = {
        "agency": agency_slug,
        "title": "Greener streets",
        "summary": "Ideas for more trees.",
        "description": "Tell us **where**.",
        "categories": ["Trees", "Parks"],
        "voting_method": "approval",
        "approval_limit": 2,
        "public_weight": 50,
        "jury_weight": 50,
        **{key: value.isoformat() for key, value in contest_dates().items()},
    }
    data.update(overrides)
    return data


def image_upload(name="cover.png", size=(40, 30), image_format="PNG") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
