"""Browser: the one live-board client (static/js/live-board.js) on both boards it serves."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ContestFactory, ProposalFactory

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("board_path", ["leaderboard/", "contributors/?period=all"])
def test_a_board_closed_as_not_found_is_not_retried(page: Page, live_url, board_path):
    contest = ContestFactory(voting=True, voting_method="updown")
    ProposalFactory(contest=contest)
    attempts = []

    def refuse_as_gone(websocket):
        attempts.append(websocket.url)
        websocket.close(code=4404, reason="not found")

    page.route_web_socket("**/ws/**", refuse_as_gone)
    page.add_init_script("window.civitasLeaderboardPollMs = 200")
    page.goto(f"/contests/{contest.slug}/{board_path}")
    expect(page.locator("[data-live-status]")).to_have_text(
        "Live updates have stopped. Reload the page to see the latest ranking."
    )
    # A reconnect would come after about a second; wait well past it.
    page.wait_for_timeout(2500)
    assert len(attempts) == 1


def test_the_contributor_board_reconnects_once_after_a_drop(page: Page, live_url):
    contest = ContestFactory()
    attempts = []

    def drop_the_first(websocket):
        attempts.append(websocket.url)
        if len(attempts) == 1:
            websocket.close()

    page.route_web_socket("**/ws/**", drop_the_first)
    page.goto(f"/contests/{contest.slug}/contributors/?period=all")
    for _ in range(60):
        if len(attempts) > 1:
            break
        page.wait_for_timeout(100)
    assert len(attempts) == 2  # one reconnect after the drop, not a storm
