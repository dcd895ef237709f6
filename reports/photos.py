"""Report photos: checked by content and pixel budget, GPS read from EXIF, stored re-encoded without EXIF.

The EXIF location is only *offered* to the reporter (the form's pin); the point stored is the one
they confirm. What is stored is common.uploads' re-encoding, which keeps pixels only.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

from common.uploads import CleanUpload, clean_image_upload


@dataclass(frozen=True)
class PhotoLocation:
    latitude: float
    longitude: float


def _degrees(value, reference: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    return -result if reference in ("S", "W") else result


def photo_location(upload) -> PhotoLocation | None:
    """The GPS position in the photo's EXIF, or None when it has none (or it is not a valid point)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], str(gps.get(ExifTags.GPS.GPSLatitudeRef, "N")))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], str(gps.get(ExifTags.GPS.GPSLongitudeRef, "E")))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
        return None
    return PhotoLocation(round(latitude, 7), round(longitude, 7))


def photo_clean(upload) -> tuple[CleanUpload, tuple[int, int]]:
    """The photo re-encoded without metadata and its size, or ValidationError (not an image, too big, too many pixels).

    The pixel budget is the site's one for every image (settings.IMAGE_MAX_PIXELS, common.uploads).
    """
    clean = clean_image_upload(
        upload, max_bytes=settings.REPORT_PHOTO_MAX_BYTES, max_side=settings.REPORT_PHOTO_MAX_SIDE
    )
    with Image.open(clean.content) as stored:
        size = stored.size
    clean.content.seek(0)
    return clean, size


def photos_clean(uploads) -> list[tuple[CleanUpload, tuple[int, int]]]:
    """Every photo cleaned, or ValidationError naming the first bad one; none is stored when one is bad."""
    uploads = list(uploads)
    if len(uploads) > settings.REPORT_PHOTO_MAX_COUNT:
        raise ValidationError(_("Attach at most %(count)s photos.") % {"count": settings.REPORT_PHOTO_MAX_COUNT})
    return [photo_clean(upload) for upload in uploads]
