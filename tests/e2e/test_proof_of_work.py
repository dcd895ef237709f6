"""pow.js in a real browser: the sign-up form solves its challenge before it is sent, and a vote past the
rate threshold goes through the check page by itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.e2e


def test_signup_solves_the_proof_of_work_in_the_browser(page: Page, settings):
    settings.POW_SIGNUP_DIFFICULTY = 12
    page.goto(reverse("account_signup"))
    page.get_by_label("Email:", exact=True).fill("pow@example.org")
    page.get_by_label("Display name:", exact=True).fill("Po W")
    page.get_by_label("Password:", exact=True).fill("a long unusual passphrase 42")
    page.get_by_label("Password (again):", exact=True).fill("a long unusual passphrase 42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible(timeout=15000)
    assert User.objects.filter(email="pow@example.org").exists()


def test_a_fast_vote_passes_the_check_page_without_the_person_doing_anything(page: Page, settings, live_url):
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest, title="Shade trees")
    voter = UserFactory(email="fast@example.org", password="a long unusual passphrase 42")  # noqa: S106
    page.goto(reverse("account_login"))
    page.get_by_label("Email:", exact=True).fill("fast@example.org")
    page.get_by_label("Password:", exact=True).fill("a long unusual passphrase 42")
    page.get_by_role("button", name="Sign In").click()
    settings.POW_VOTE_DIFFICULTY = 10
    settings.POW_VOTE_RATE = "1/600"
    other = ProposalFactory(contest=contest, title="Benches")
    # The first ballot is under the threshold (voting.js sends it to the API); the second needs the
    # check: the API answers 428, voting.js sends the plain form, and the check page solves and sends it.
    page.goto(other.get_absolute_url())
    page.get_by_role("button", name="Vote up").first.click()
    expect(page.get_by_role("button", name="Vote up").first).to_have_attribute("aria-pressed", "true")
    page.goto(proposal.get_absolute_url())
    page.get_by_role("button", name="Vote up").first.click()
    expect(page.get_by_text("Your vote up was recorded.")).to_be_visible(timeout=15000)
    assert Vote.objects.filter(voter=voter, proposal=proposal).exists()
