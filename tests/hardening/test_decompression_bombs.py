"""Images above the pixel budget are refused from their header, before any pixel is decoded."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from contests.models import Contest
from tests.contests.helpers import contest_form_data, image_upload
from tests.factories import ContestFactory

BOMB_SIDE = 8900


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = BOMB_SIDE, height: int = BOMB_SIDE) -> bytes:
    """A valid RGB PNG of width x height black pixels, compressed row by row (small file, huge image)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (3 * width)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb()


def test_the_bomb_is_a_small_file_of_79_million_pixels(bomb):
    assert len(bomb) < 400_000
    assert BOMB_SIDE * BOMB_SIDE == 79_210_000


def test_agency_logo_bomb_is_refused_with_a_form_error(client, agency, agency_admin, bomb):
    client.force_login(agency_admin)
    upload = SimpleUploadedFile("logo.png", bomb, content_type="image/png")
    data = {"name": "City Water Board", "description": "Water.", "website": "https://water.example.gov", "logo": upload}
    response = client.post(f"/agencies/{agency.slug}/edit/", data)
    assert response.status_code in (200, 400)
    errors = " ".join(response.context["form"].errors["logo"])
    assert "8900 × 8900" in errors and "25 million" in errors
    agency.refresh_from_db()
    assert not agency.logo


def test_contest_cover_bomb_is_refused_with_a_form_error(client, agency, agency_manager, bomb):
    client.force_login(agency_manager)
    cover = SimpleUploadedFile("cover.png", bomb, content_type="image/png")
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": cover})
    assert response.status_code == 400
    assert "too many pixels" in " ".join(response.context["form"].errors["cover_image"])
    assert not Contest.objects.exists()


def test_proposal_attachment_bomb_is_refused(client, citizen, bomb):
    contest = ContestFactory(slug="parks")
    client.force_login(citizen)
    data = {
        "title": "More trees",
        "summary": "Plant trees.",
        "body": "Along the river.",
        "attachments": [SimpleUploadedFile("photo.png", bomb, content_type="image/png")],
    }
    response = client.post(f"/contests/{contest.slug}/proposals/new/", data)
    assert response.status_code in (200, 400)
    assert "too many pixels" in response.content.decode()


@override_settings(IMAGE_MAX_PIXELS=1000)
def test_the_budget_is_a_setting(client, agency, agency_manager):
    client.force_login(agency_manager)
    cover = image_upload("cover.png", size=(40, 30))  # 1,200 pixels
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": cover})
    assert response.status_code == 400
    assert "too many pixels" in " ".join(response.context["form"].errors["cover_image"])


def test_an_image_within_the_budget_is_still_accepted(client, agency, agency_manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(agency_manager)
    cover = image_upload("cover.png", size=(400, 300))
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": cover})
    assert response.status_code == 302


def test_a_gif_is_refused_as_a_logo_but_the_form_says_which_formats_it_takes(client, agency, agency_admin):
    client.force_login(agency_admin)
    upload = image_upload("logo.gif", image_format="GIF")
    data = {"name": "City Water Board", "description": "Water.", "website": "https://water.example.gov", "logo": upload}
    response = client.post(f"/agencies/{agency.slug}/edit/", data)
    assert "Upload a PNG, JPEG or WebP image." in " ".join(response.context["form"].errors["logo"])
