"""Builders for report tests: categories with areas, photos with GPS EXIF, reports."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from reports.models import ServiceCategory
from reports.services import report_create

# A square around People's Square, Shanghai ([lng, lat] pairs, GeoJSON order).
CENTRE = (31.2304, 121.4737)
AREA = {
    "type": "Polygon",
    "coordinates": [[[121.40, 31.18], [121.55, 31.18], [121.55, 31.28], [121.40, 31.28], [121.40, 31.18]]],
}
OUTSIDE = (31.40, 121.60)  # north-east of the square


def category_make(agency, *, code="streetlight", name="Broken streetlight", area=AREA, **fields) -> ServiceCategory:
    return ServiceCategory.objects.create(agency=agency, code=code, name=name, area=area, **fields)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg_bytes(*, gps: tuple[float, float] | None = None, size=(64, 48), camera: str = "TestCam") -> bytes:
    """A small JPEG, with GPS EXIF (and a camera model) when `gps` = (latitude, longitude) is given."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x0110] = camera  # Model
    if gps is not None:
        latitude, longitude = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if latitude >= 0 else "S",
            ExifTags.GPS.GPSLatitude: _dms(latitude),
            ExifTags.GPS.GPSLongitudeRef: "E" if longitude >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _dms(longitude),
        }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def photo_upload(data: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(gps=CENTRE), content_type=content_type)


def report_make(reporter, *, point=CENTRE, code="streetlight", description="The lamp is out.", **kwargs):
    return report_create(
        reporter=reporter, latitude=point[0], longitude=point[1], category_code=code, description=description, **kwargs
    )
