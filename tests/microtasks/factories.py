"""Factories for micro-tasks (beside tests/factories.py, which builds the rest of the platform)."""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from microtasks.models import Campaign
from tests.factories import AgencyFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    """An open field campaign with 5 slots, no place, one question."""

    class Meta:
        model = Campaign

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Check bus stop {n}")
    instructions = "Check the **timetable** at the stop."
    kind = Campaign.Kind.FIELD
    questions = factory.LazyFunction(lambda: ["Is the timetable up to date?"])
    slots = 5
    claim_minutes = 60
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    reward_points = 15

    class Params:
        data = factory.Trait(kind=Campaign.Kind.DATA, questions=[], choices=["cat", "dog", "bird"], batch_size=100)


def photo_upload(name: str = "proof.jpg", *, with_gps_exif: bool = True) -> SimpleUploadedFile:
    """A small JPEG carrying EXIF (with a GPS block when asked), as a phone would upload it."""
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if with_gps_exif:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
