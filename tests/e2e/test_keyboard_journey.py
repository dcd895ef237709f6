"""Keyboard only: sign in, submit a proposal and vote, with Tab, typing, Enter and Space — no mouse."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from proposals.models import Proposal
from tests.factories import TEST_PASSWORD, ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e

ACTIVE_NAME = """() => {
  const el = document.activeElement;
  if (!el) return "";
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return (el.getAttribute("aria-label") || label || el.textContent || "").trim();
}"""


def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible name starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_NAME).startswith(name):
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_a_citizen_submits_a_proposal_and_votes_with_the_keyboard_only(page: Page):
    now = timezone.now()
    contest = ContestFactory(
        slug="streets",
        voting_method="updown",
        allow_overlap=True,
        submission_opens_at=now - timedelta(days=3),
        submission_closes_at=now + timedelta(days=5),
        voting_opens_at=now - timedelta(days=1),
        voting_closes_at=now + timedelta(days=9),
    )
    other = ProposalFactory(contest=contest, title="Benches at every bus stop")
    citizen = UserFactory(display_name="Kim Keys")

    page.goto("/accounts/login/")
    tab_to(page, "Email")
    page.keyboard.type(citizen.email)
    tab_to(page, "Password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Kim Keys")).to_be_visible()

    page.goto(f"/contests/{contest.slug}/proposals/new/")
    tab_to(page, "Title")
    page.keyboard.type("Shade trees on Market Street")
    tab_to(page, "Summary")
    page.keyboard.type("Plant twenty plane trees for shade in summer.")
    tab_to(page, "Proposal")
    page.keyboard.type("The street is the hottest in town; trees cool it by several degrees.")
    tab_to(page, "Submit proposal")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shade trees on Market Street")
    assert Proposal.objects.filter(title="Shade trees on Market Street", author=citizen, status="submitted").exists()

    page.goto(other.get_absolute_url())
    tab_to(page, "Vote up")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#proposal-voting [data-count="net"]')).to_have_text("+1")
