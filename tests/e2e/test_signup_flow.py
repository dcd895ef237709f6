"""A newcomer signs up, verifies their email, lands signed in and switches the site to Chinese."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def test_newcomer_signs_up_verifies_email_and_reads_the_site_in_chinese(page: Page, mailoutbox):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()

    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()
    # Django's form labels end in a colon; exact matching tells the two password fields apart.
    page.get_by_label("Email:", exact=True).fill("lin@example.org")
    page.get_by_label("Display name:", exact=True).fill("Lin Mei")
    page.get_by_label("Password:", exact=True).fill("a long unusual passphrase 42")
    page.get_by_label("Password (again):", exact=True).fill("a long unusual passphrase 42")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lin@example.org"]
    link = CONFIRMATION_LINK.search(message.body)
    assert link, message.body

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirming signs the newcomer in.
    expect(page.get_by_role("link", name="Lin Mei")).to_have_class(re.compile(r"\bcurrent-user\b"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="简体中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="Lin Mei")).to_be_visible()

    # The password page is allauth's; its heading is translated by allauth's own catalogue.
    page.get_by_role("link", name="Lin Mei").click()
    page.locator(f'a[href="{reverse("account_change_password")}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改密码")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_skip_link_is_the_first_thing_focused_with_tab(page: Page, live_url):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
