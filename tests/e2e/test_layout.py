"""The home page fits a phone and a desktop screen.

Set E2E_SCREENSHOT_DIR to keep the screenshots (e.g. E2E_SCREENSHOT_DIR=/tmp/civitas-shots) and look at them.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ContestFactory

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("device", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 800)])
def test_home_page_fits_the_screen_without_sideways_scrolling(page: Page, tmp_path, device, width, height):
    ContestFactory(title="Cleaner rivers for every district", agency__name="City Water Authority")
    ContestFactory(title="Safer school routes", agency__name="Transport Department")
    page.set_viewport_size({"width": width, "height": height})

    page.goto("/")

    expect(page.get_by_role("heading", name="Cleaner rivers for every district")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
    if device == "phone":  # the menu folds behind one button on narrow screens
        page.get_by_role("button", name="Menu").click()
    for name in ("Contests", "Agencies", "Sign in", "Sign up"):
        box = page.get_by_role("link", name=name, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name!r} is off screen: {box}"
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / f"home-{device}.png", full_page=True)
