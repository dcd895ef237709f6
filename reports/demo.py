"""Demo citizen reports: a city district, four kinds of problem, reports in every status with photos.

`seed_reports_demo()` is called by demo/'s seed_demo and may be called again: categories are
matched by (agency, code) and reports by description, so nothing is duplicated. It uses the
agencies and people seed_demo made when they exist (by slug and email), else makes its own.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import User
from agencies.models import Agency
from reports.models import Report, ServiceCategory
from reports.services import metoo_add, report_create
from reports.workflow import report_status_change

# Central Shanghai, [lng, lat] pairs (GeoJSON order).
DISTRICT = {
    "type": "Polygon",
    "coordinates": [[[121.40, 31.18], [121.55, 31.18], [121.55, 31.28], [121.40, 31.28], [121.40, 31.18]]],
}
CATEGORIES = [
    # agency slug, code, name, group, keywords, hours, area, questions
    ("transport", "streetlight", "Broken streetlight", "Streets", "lamp, light, dark", 72, DISTRICT,
     [{"code": "pole", "description": "Number on the lamp post", "required": False}]),
    ("transport", "pothole", "Pothole", "Streets", "road, hole, pavement", 120, DISTRICT, []),
    ("city-water", "drain", "Blocked drain", "Water", "drain, flood, sewer", 48, None,
     [{"code": "flooding", "description": "Is the street flooded?", "required": True,
       "values": [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]}]),
    ("parks", "dumping", "Illegal dumping", "Cleanliness", "rubbish, waste, litter", 96, None, []),
]  # fmt: skip
REPORTS = [
    # code, (lat, lng), description, final status, answers
    ("streetlight", (31.2304, 121.4737), "The lamp outside People's Park gate 2 has been dark for a week.", "acknowledged", {}),
    ("streetlight", (31.2251, 121.4800), "Two street lamps flicker all night on Xizang Road.", "open", {}),
    ("pothole", (31.2400, 121.4900), "Deep pothole in the cycle lane, cyclists swerve into traffic.", "in_progress", {}),
    ("pothole", (31.2210, 121.4620), "Broken paving stones at the bus stop.", "fixed", {}),
    ("drain", (31.2330, 121.4700), "The drain at the corner overflows every time it rains.", "open", {"flooding": "yes"}),
    ("dumping", (31.2450, 121.5050), "Old furniture dumped beside the river path.", "closed", {}),
]  # fmt: skip
STATUS_PATH = {
    "open": [],
    "acknowledged": ["acknowledged"],
    "in_progress": ["acknowledged", "in_progress"],
    "fixed": ["acknowledged", "in_progress", "fixed"],
    "closed": ["closed"],
}
NOTES = {
    "acknowledged": "Thank you, we have logged this and will send a crew.",
    "in_progress": "A crew is working on it this week.",
    "fixed": "Repaired. Tell us if it is not.",
    "closed": "This was on private land; we have told the owner.",
}


def _photo(seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (90 + seed * 20 % 120, 110, 130))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120 + seed * 10, 140, 420, 400), fill=(220, 200, 60 + seed * 25 % 160))
    draw.ellipse((360, 60, 520, 220), fill=(240, 240, 240))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _agency(slug: str) -> Agency:
    agency, _created = Agency.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})
    return agency


def seed_reports_demo(*, citizen_emails: list[str] | None = None) -> int:
    """Create the demo categories and reports (idempotent); returns how many reports were added."""
    for agency_slug, code, name, group, keywords, hours, area, questions in CATEGORIES:
        ServiceCategory.objects.update_or_create(
            agency=_agency(agency_slug),
            code=code,
            defaults={"name": name, "group": group, "keywords": keywords, "response_hours": hours, "area": area,
                      "extra_questions": questions, "description": f"{name}: report it with a photo and the place."},
        )  # fmt: skip
    citizens = list(User.objects.filter(email__in=citizen_emails or []).order_by("email"))
    if not citizens:
        citizens = [
            User.objects.get_or_create(
                email=f"reporter{number}@example.org", defaults={"display_name": f"Reporter {number}"}
            )[0]
            for number in range(3)
        ]
    added = 0
    for index, (code, (lat, lng), description, final, answers) in enumerate(REPORTS):
        if Report.objects.filter(description=description).exists():
            continue
        reporter = citizens[index % len(citizens)]
        report = report_create(
            reporter=reporter, latitude=lat, longitude=lng, description=description, category_code=code,
            photos=[_photo(index)], answers=answers, is_anonymous=index == 1,
        )  # fmt: skip
        added += 1
        staff = report.agency.members.first() or reporter
        for status in STATUS_PATH[final]:
            report_status_change(
                report=report, author=staff, status=status, note=NOTES[status],
                close_reason="not_ours" if status == "closed" else "",
                passed_to=_agency("city-water") if status == "closed" else None,
            )  # fmt: skip
        for neighbour in citizens:
            if neighbour.pk != reporter.pk and index % 2 == 0 and report.status in Report.UNRESOLVED:
                metoo_add(user=neighbour, report=report)
    return added
