"""Validation of uploaded files, by content rather than by name.

Images are opened with Pillow, checked, and re-encoded from pixels only, which
drops EXIF (including GPS), ICC comments and anything smuggled after the image
data. PDFs are checked by signature and size. Callers store what these return.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Refuse decompression bombs early rather than letting Pillow allocate them.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("png", "image/png"),
}


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


def clean_image_upload(upload, *, max_bytes: int, max_side: int = 4000) -> CleanUpload:
    """Return the image re-encoded without metadata, or raise ValidationError with a user-facing message."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()  # structure check; the image must be reopened after verify()
        upload.seek(0)
        with Image.open(upload) as image:
            source_format = image.format
            if source_format not in IMAGE_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."))
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
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a valid image.")) from error
    data = buffer.getvalue()
    stem = (getattr(upload, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "image"
    return CleanUpload(ContentFile(data), f"{stem}.{extension}", content_type, len(data), "image")


def clean_pdf_upload(upload, *, max_bytes: int) -> CleanUpload:
    """Accept a PDF by its signature and size; raise ValidationError otherwise."""
    _check_size(upload, max_bytes)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a valid PDF document."))
    stem = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "document"
    return CleanUpload(ContentFile(data), f"{stem}.pdf", "application/pdf", len(data), "pdf")
