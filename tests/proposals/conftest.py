import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import CategoryFactory, ContestFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def contest(agency):
    return ContestFactory(agency=agency, slug="clean-rivers", title="Clean rivers", max_proposals_per_citizen=2)


@pytest.fixture
def category(contest):
    return CategoryFactory(contest=contest, name="Water", slug="water")


def jpeg_bytes(*, with_gps: bool = False, size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    if with_gps:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        gps = exif.get_ifd(0x8825)
        gps[1] = "N"
        gps[2] = (52.0, 31.0, 12.0)
        gps[3] = "E"
        gps[4] = (13.0, 24.0, 18.0)
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf_upload(name="plan.pdf") -> SimpleUploadedFile:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def proposal_data(**overrides) -> dict:
    data = {
        "title": "Plant willows",
        "summary": "Willows hold the banks and clean the water.",
        "body": "Plant **willows** along the river.",
    }
    data.update(overrides)
    return data
