"""The language control (one button per other language) works without JavaScript too."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_visitor_without_javascript_switches_to_chinese_with_the_button(new_page, live_url):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")

    page.get_by_role("button", name="简体中文").click()

    # Back on the same page (the form's `next`), now in Chinese from allauth's own catalogue.
    expect(page).to_have_url(f"{live_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
