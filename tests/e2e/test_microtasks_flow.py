"""Browser, phone viewport: a citizen grabs a field task, uploads proof, staff approve it, the points arrive,
the citizen redeems a reward; the task board shows the slot taken live."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from engagement.models import Redemption, Reward
from live.publisher import publisher
from tests.e2e.test_voting_flow import sign_in
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _quick_pushes_and_private_media(live_url, settings, tmp_path):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 20
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    publisher.wait_idle(timeout=3)


def _jpeg() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 80, 20)).save(buffer, format="JPEG")
    return {"name": "stop.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_citizen_grabs_proves_gets_approved_and_redeems(new_page):
    agency = AgencyFactory(name="Transport Authority", slug="transport-e2e")
    manager = MembershipFactory(agency=agency, role="manager", user__display_name="Mara Manager").user
    citizen = UserFactory(display_name="Ada Citizen")
    campaign = CampaignFactory(agency=agency, title="Check the 42 bus stop", slots=3, reward_points=30)
    Reward.objects.create(agency=agency, name="Museum ticket", points_price=25, stock=2)

    watcher = new_page(**PHONE)
    watcher.goto("/tasks/")
    row = watcher.get_by_role("row", name="Check the 42 bus stop")
    expect(row).to_contain_text("3 / 3")

    phone = new_page(**PHONE)
    sign_in(phone, citizen.email)
    phone.goto("/tasks/")
    phone.get_by_role("link", name="Check the 42 bus stop").click()
    phone.get_by_role("button", name="Grab this task").click()
    expect(phone.get_by_text("The task is yours.")).to_be_visible()
    expect(row).to_contain_text("2 / 3")  # live, without a reload of the watcher's page
    proof = phone.get_by_role("form", name="Proof of your work")
    proof.get_by_label("Photo:").set_input_files(_jpeg())
    proof.get_by_label("Is the timetable up to date?").fill("Yes, it matches the printed one.")
    proof.get_by_role("button", name="Submit proof").click()
    expect(phone.get_by_text("Your work is submitted.")).to_be_visible()
    expect(phone.get_by_text("Waiting for review").first).to_be_visible()

    staff = new_page(**PHONE)
    sign_in(staff, manager.email)
    staff.goto(f"/tasks/{campaign.pk}/review/")
    work = staff.get_by_role("article", name="Work by Ada Citizen")
    expect(work.get_by_role("img", name="Proof photo")).to_be_visible()
    work.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("Approved; the points are credited.")).to_be_visible()

    phone.goto("/rewards/")
    expect(phone.get_by_text("You have 30 points.")).to_be_visible()
    phone.get_by_role("button", name="Redeem Museum ticket").click()
    expect(phone.get_by_text("You redeemed “Museum ticket”")).to_be_visible()
    expect(phone.get_by_text("You have 5 points.")).to_be_visible()
    assert Redemption.objects.filter(user=citizen, reward__name="Museum ticket").count() == 1

    staff.goto(f"/agencies/{agency.slug}/rewards/")
    redemption = Redemption.objects.get()
    staff.get_by_role("button", name=f"Mark #{redemption.pk} handed over").click()
    expect(staff.get_by_text("Marked as handed over.")).to_be_visible()
