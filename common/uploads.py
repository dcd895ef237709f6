"""Validation of uploaded files, by content rather than by name.

Images are opened with Pillow, checked, and re-encoded from pixels only, which
drops EXIF (including GPS), ICC comments and anything smuggled after the image
data. PDFs are checked by signature and size. Callers store what these return.
"""

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("png", "image/png"),
}
# Pillow's own guard (a warning above Image.MAX_IMAGE_PIXELS, an error above twice that) stays at its
# default, well above IMAGE_MAX_PIXELS, so the budget below refuses first with the image's size;
# the warning counts as a refusal too (an operator who raised the budget past Pillow's).
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ALL_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True)
class CleanUpload:
    content: ContentFile
    name: str
    content_type: str
    size: int
    kind: str  # "image" or "pdf"


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)}
        )


def _wrong_format(formats: Sequence[str]) -> ValidationError:
    names = get_text_list([FORMAT_NAMES[name] for name in formats], _("or"))
    return ValidationError(_("Upload a %(formats)s image.") % {"formats": names})


def _check_pixels(image: Image.Image) -> None:
    """Refuse an image whose header announces more pixels than IMAGE_MAX_PIXELS (nothing decoded yet)."""
    width, height = image.size
    budget = settings.IMAGE_MAX_PIXELS
    if width * height > budget:
        raise ValidationError(
            _(
                "This image has too many pixels (%(width)s × %(height)s); the limit is %(millions)s million pixels. "
                "Scale it down and upload it again."
            )
            % {"width": width, "height": height, "millions": number_format(budget / 1_000_000, decimal_pos=0)}
        )


def clean_image_upload(
    upload, *, max_bytes: int, max_side: int = 4000, formats: Sequence[str] = ALL_IMAGE_FORMATS
) -> CleanUpload:
    """Return the image re-encoded without metadata, or raise ValidationError with a user-facing message.

    Only `formats` (Pillow names) are accepted. The pixel budget (settings.IMAGE_MAX_PIXELS) is checked
    from the header before any decoding, and Pillow's DecompressionBombWarning counts as a refusal.
    """
    _check_size(upload, max_bytes)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            buffer, source_format = _reencode(upload, max_side=max_side, formats=formats)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ValidationError(_("This image has too many pixels.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not a valid image.")) from error
    extension, content_type = IMAGE_FORMATS[source_format]
    data = buffer.getvalue()
    stem = (getattr(upload, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "image"
    return CleanUpload(ContentFile(data), f"{stem}.{extension}", content_type, len(data), "image")


def _reencode(upload, *, max_side: int, formats: Sequence[str]) -> tuple[io.BytesIO, str]:
    with Image.open(upload, formats=list(ALL_IMAGE_FORMATS)) as probe:
        if probe.format not in formats:
            raise _wrong_format(formats)
        _check_pixels(probe)
        probe.verify()  # structure check; the image must be reopened after verify()
    upload.seek(0)
    with Image.open(upload, formats=list(formats)) as image:
        source_format = image.format
        _check_pixels(image)
        image = ImageOps.exif_transpose(image)  # keep the visible orientation, then drop EXIF
        image.thumbnail((max_side, max_side))
        extension, content_type = IMAGE_FORMATS[source_format]
        if extension == "jpg":
            image = image.convert("RGB")
            save_kwargs = {"quality": 88, "optimize": True}
        elif image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
            save_kwargs = {"optimize": True}
        else:
            save_kwargs = {"optimize": True} if extension == "png" else {"quality": 88}
        # A fresh image holds pixels only: no EXIF, ICC or text chunks are carried over.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        buffer = io.BytesIO()
        clean.save(buffer, format="JPEG" if extension == "jpg" else extension.upper(), **save_kwargs)
    return buffer, source_format


def clean_pdf_upload(upload, *, max_bytes: int) -> CleanUpload:
    """Accept a PDF by its signature and size; raise ValidationError otherwise."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a valid PDF document."))
    stem = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "document"
    return CleanUpload(ContentFile(data), f"{stem}.pdf", "application/pdf", len(data), "pdf")
