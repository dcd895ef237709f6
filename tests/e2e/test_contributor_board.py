"""Browser: the contributor board follows new points live, and drops someone who opts out."""

import pytest
from playwright.sync_api import Page, expect

from engagement import services
from live.publisher import publisher
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _quick_pushes_settled_before_flush(live_url, settings):
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 20
    yield
    publisher.wait_idle(timeout=3)


def test_the_contest_board_updates_live_and_forgets_who_opts_out(page: Page):
    contest = ContestFactory(slug="river-ideas")
    ada = UserFactory(display_name="Ada Lovelace")
    page.goto(f"/contests/{contest.slug}/contributors/?period=all")
    expect(page.get_by_role("heading", name=f"Top contributors of {contest.title}")).to_be_visible()
    expect(page.get_by_text("Nobody has earned points in this period yet.")).to_be_visible()
    expect(page.locator("[data-live-status]")).to_have_text("Live: the ranking updates by itself.")
    page.evaluate("window.notReloaded = true")

    services.points_sync(target=ProposalFactory(contest=contest, author=ada))
    row = page.get_by_role("row", name="Ada Lovelace")
    expect(row).to_be_visible()
    expect(row).to_contain_text("10")

    services.preference_set(user=ada, show_on_leaderboards=False)
    expect(row).to_be_hidden()
    expect(page.get_by_text("Nobody has earned points in this period yet.")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
