"""Browser, phone-sized: a photo with GPS EXIF places the pin, a nearby duplicate is shown and a "me too"
added instead; staff acknowledge and fix the report; the reporter gets the notifications and the follow-up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reports.models import MeToo, Report
from reports.timers import report_followups_send
from tests.factories import TEST_PASSWORD, AgencyFactory, MembershipFactory, UserFactory
from tests.reports.helpers import CENTRE, category_make, jpeg_bytes, report_make

pytestmark = pytest.mark.e2e
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()  # folded on phones


def test_photo_pin_duplicate_me_too_then_staff_fix_and_reporter_follow_up(new_page):
    agency = AgencyFactory(name="Street Lighting", slug="street-lighting")
    category_make(agency)
    staff = MembershipFactory(agency=agency, role="staff", user__display_name="Sam Staff").user
    reporter = UserFactory(display_name="Rita Reporter")
    existing = report_make(reporter, description="Lamp post 12 is dark")
    neighbour = UserFactory(display_name="Ned Neighbour")

    phone = new_page(**PHONE)
    sign_in(phone, neighbour.email)
    phone.goto("/reports/new/")
    nearby_asked = []
    phone.on("request", lambda request: "/reports/nearby/" in request.url and nearby_asked.append(request.url))
    photo = jpeg_bytes(gps=(CENTRE[0] + 0.0002, CENTRE[1]))  # about 22 m from the existing report
    phone.get_by_label("Photos").set_input_files({"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": photo})
    expect(phone.get_by_text("The pin was placed from your photo.")).to_be_visible()
    expect(phone.locator("#report-pin-map")).to_have_attribute("data-pin", f"{CENTRE[0] + 0.0002:.6f},{CENTRE[1]:.6f}")
    expect(phone.get_by_label("Latitude")).to_have_value(f"{CENTRE[0] + 0.0002:.6f}")
    nearby = phone.get_by_role("region", name="Already reported nearby")
    expect(nearby).to_be_visible()
    expect(nearby.get_by_role("link", name=f"#{existing.pk} Broken streetlight")).to_be_visible()
    nearby.get_by_role("button", name=f"Me too (#{existing.pk})").click()
    expect(nearby.get_by_text("your “me too” was added")).to_be_visible(timeout=15_000)  # a busy machine is slow
    # One question per place: a second, later answer rebuilt the list and wiped the confirmation.
    assert len(nearby_asked) == 1, nearby_asked
    assert MeToo.objects.filter(report=existing, user=neighbour).exists()
    assert Report.objects.count() == 1  # a "me too" instead of a second report

    desk = new_page(**PHONE)
    sign_in(desk, staff.email)
    desk.goto(f"/reports/{existing.pk}/")
    for status, note in (("Acknowledged", "A crew is on its way."), ("Fixed", "New lamp fitted.")):
        desk.get_by_label("New status").select_option(label=status)
        desk.get_by_label("Public note").fill(note)
        desk.get_by_role("button", name="Change status").click()
        expect(desk.get_by_role("status").filter(has_text="reporter told")).to_be_visible()
        expect(desk.get_by_role("region", name="Timeline")).to_contain_text(note)

    report_followups_send(now=timezone.now() + timedelta(days=7, minutes=5))
    inbox = new_page(**PHONE)
    sign_in(inbox, reporter.email)
    inbox.goto("/notifications/")
    mine = f"Your report #{existing.pk} (Broken streetlight) is now:"
    expect(inbox.get_by_role("link", name=f"{mine} Acknowledged. A crew is on its way.")).to_be_visible()
    expect(inbox.get_by_role("link", name=f"{mine} Fixed. New lamp fitted.")).to_be_visible()
    inbox.get_by_role("link", name="Is it really fixed? Tell us.").click()
    inbox.get_by_label("No, it is not fixed").check()
    inbox.get_by_role("button", name="Send my answer").click()
    expect(inbox.get_by_role("status").filter(has_text="Thank you for telling us.")).to_be_visible()
    existing.refresh_from_db()
    assert existing.status == "open"

    phone.goto("/notifications/")
    followed = f"Report #{existing.pk} (Broken streetlight), which you follow, is now: Fixed. New lamp fitted."
    expect(phone.get_by_role("link", name=followed)).to_be_visible()


def test_the_map_shows_markers_without_tiles_and_the_list_works_without_javascript(new_page, settings):
    settings.REPORT_MAP_TILE_URL = ""
    agency = AgencyFactory(name="Street Lighting", slug="street-lighting")
    category_make(agency)
    reporter = UserFactory()
    for index in range(3):
        report_make(reporter, point=(CENTRE[0] + index * 0.01, CENTRE[1]), description=f"Dark lamp {index}")
    page = new_page(**PHONE)
    page.goto("/reports/")
    expect(page.get_by_role("region", name="Map of reports")).to_have_attribute("data-marker-count", "3")
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    plain = new_page(java_script_enabled=False)
    plain.goto("/reports/?status=open")
    expect(plain.get_by_role("region", name="Map of reports")).to_be_hidden()
    expect(plain.get_by_role("link", name="Broken streetlight")).to_have_count(3)
