"""Phone first: on a 390 px screen the header is one compact line with a menu button; one language control."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_phone_header_is_compact_and_its_menu_opens_with_the_button(new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] < 70
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Agencies")).to_be_hidden()

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")

    page.get_by_role("button", name="Menu").click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Menu")).to_be_focused()
    expect(page.get_by_role("link", name="Sign in")).to_be_hidden()


def test_desktop_header_shows_everything_and_one_language_button(page):
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Agencies")).to_be_visible()
    expect(page.locator(".language-form button")).to_have_count(1)
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="English")).to_be_visible()
