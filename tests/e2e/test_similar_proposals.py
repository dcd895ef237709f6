"""Browser: while an author types a title, likely duplicates of the same contest appear (debounced fetch)."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD, ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_typing_a_title_lists_similar_proposals(page: Page):
    contest = ContestFactory(slug="river-ideas")
    ProposalFactory(contest=contest, title="Plant willow trees along the river banks")
    ProposalFactory(
        contest=contest, title="Protected bike lanes on Main Street", summary="Kerbs between cars and bikes."
    )
    author = UserFactory()
    sign_in(page, author.email)

    page.goto(f"/contests/{contest.slug}/proposals/new/")
    similar = page.get_by_role("region", name="Similar proposals already submitted")
    expect(similar).to_be_hidden()
    page.get_by_label("Title:", exact=True).press_sequentially("Plant willows along river banks", delay=10)
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name="Plant willow trees along the river banks")).to_be_visible()
    expect(similar.get_by_role("link", name="Protected bike lanes on Main Street")).to_have_count(0)
