"""Browser: a citizen votes with JavaScript (no reload) and a leaderboard open elsewhere updates live over the websocket."""

import pytest
from playwright.sync_api import Page, expect

from live.publisher import publisher
from tests.factories import TEST_PASSWORD, ContestFactory, ProposalFactory, UserFactory
from voting import services

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _quick_pushes_settled_before_flush(live_url, settings):
    """Fast leaderboard pushes; and the last one finished before the tables are emptied.

    The publisher snapshots the ranking from a background thread of this process; one still
    running while transactional_db truncates the tables deadlocks on PostgreSQL.
    """
    settings.LEADERBOARD_PUSH_INTERVAL_MS = 20
    yield
    publisher.wait_idle(timeout=3)


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a phone the menu (and Sign out in it) folds behind the Menu button: it exists, hidden.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def test_a_vote_up_updates_the_page_without_reload_and_the_live_leaderboard(page: Page, new_page):
    contest = ContestFactory(voting=True, voting_method="updown", slug="river-vote")
    proposal = ProposalFactory(contest=contest, title="Plant river trees")
    other = ProposalFactory(contest=contest, title="Pave the meadow")
    citizen = UserFactory()

    board = new_page()
    board.goto(f"/contests/{contest.slug}/leaderboard/")
    status = board.locator("[data-live-status]")
    expect(status).to_have_text("Live: the ranking updates by itself.")
    votes_cell = board.locator(f'tr[data-proposal-id="{proposal.pk}"] [data-cell="votes"]')
    expect(votes_cell).to_have_text("0")
    board.evaluate("window.notReloaded = true")

    sign_in(page, citizen.email)
    page.goto(proposal.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    vote_up = page.get_by_role("button", name="Vote up")
    expect(vote_up).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("button", name="Withdraw vote")).to_be_hidden()
    vote_up.click()

    expect(vote_up).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#proposal-voting [data-count="net"]')).to_have_text("+1")
    expect(page.locator("#proposal-voting [data-vote-live]")).to_have_text("Your vote was recorded.")
    expect(page.get_by_role("button", name="Withdraw vote")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    # Pushed over the websocket: polling (every 5 s) only runs while it is down, and it stayed live.
    expect(votes_cell).to_have_text("1", timeout=3_000)
    expect(board.locator("[data-leaderboard-total]")).to_have_text("1")
    expect(board.locator(f'tr[data-proposal-id="{proposal.pk}"] [data-cell="rank"]')).to_have_text("1")
    # Tied first before the vote, the other proposal moved down one place.
    other_movement = board.locator(f'tr[data-proposal-id="{other.pk}"] [data-cell="movement"]')
    expect(other_movement).to_have_text("▼ 1down 1 place")
    expect(other_movement.locator(".visually-hidden")).to_have_text("down 1 place")
    expect(status).to_have_text("Live: the ranking updates by itself.")
    assert board.evaluate("window.notReloaded") is True

    # Pressing the pressed button withdraws the vote, still without a reload.
    vote_up.click()
    expect(vote_up).to_have_attribute("aria-pressed", "false")
    expect(page.locator('#proposal-voting [data-count="net"]')).to_have_text("0")
    expect(page.get_by_role("button", name="Withdraw vote")).to_be_hidden()
    expect(votes_cell).to_have_text("0", timeout=3_000)


def test_an_api_refusal_is_announced_with_its_message(page: Page):
    contest = ContestFactory(voting=True, voting_method="stars")
    proposal = ProposalFactory(contest=contest)
    sign_in(page, UserFactory().email)
    page.goto(proposal.get_absolute_url())
    # No star chosen: the API refuses and its message is shown in the live region.
    page.get_by_role("button", name="Save rating").click()
    expect(page.locator("#proposal-voting [data-vote-live]")).to_have_text(
        "A rating is a whole number of stars from 1 to 5."
    )
    page.get_by_label("Rate 4 stars").check()
    page.get_by_role("button", name="Save rating").click()
    expect(page.locator("#proposal-voting [data-vote-live]")).to_have_text("Your rating was recorded.")
    expect(page.locator('#proposal-voting [data-count="mean"]')).to_have_text("4.0")
    expect(page.get_by_role("button", name="Remove rating")).to_be_visible()


def test_without_a_websocket_the_leaderboard_polls_the_json_endpoint(page: Page):
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    attempts = []

    def refuse(websocket):
        attempts.append(websocket.url)
        websocket.close()

    page.route_web_socket("**/ws/contests/**", refuse)
    page.add_init_script("window.civitasLeaderboardPollMs = 300")
    page.goto(f"/contests/{contest.slug}/leaderboard/")
    status = page.locator("[data-live-status]")
    expect(status).to_have_text("Live updates interrupted; refreshing every few seconds.")
    votes_cell = page.locator(f'tr[data-proposal-id="{proposal.pk}"] [data-cell="votes"]')
    expect(votes_cell).to_have_text("0")

    services.vote_cast(voter=UserFactory(), proposal=proposal, value=1)
    expect(votes_cell).to_have_text("1", timeout=3_000)
    expect(status).to_have_text("Live updates interrupted; refreshing every few seconds.")
    # It keeps trying the websocket, with growing delays (about 1 s, then 2 s).
    for _ in range(30):
        if len(attempts) > 1:
            break
        page.wait_for_timeout(100)  # lets Playwright deliver the routed websocket events
    assert len(attempts) > 1


def test_without_javascript_the_list_forms_post_and_come_back(new_page):
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=2)
    proposal = ProposalFactory(contest=contest, title="Plant river trees")
    page = new_page(java_script_enabled=False)
    sign_in(page, UserFactory().email)
    page.goto(f"/contests/{contest.slug}/proposals/")
    expect(page.get_by_text("2 supports left")).to_be_visible()
    page.locator(f"#proposal-{proposal.pk}-votes").get_by_role("button", name="Support").click()
    expect(page.get_by_text("Your support was recorded. You have 1 support left.")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/contests/')[0]}/contests/{contest.slug}/proposals/")
    expect(page.get_by_role("button", name="Withdraw support")).to_be_visible()


def test_the_pairwise_page_offers_the_next_pair_without_reload(page: Page):
    contest = ContestFactory(voting=True, voting_method="pairwise")
    for title in ("Idea A", "Idea B", "Idea C"):
        ProposalFactory(contest=contest, title=title)
    sign_in(page, UserFactory().email)
    page.goto(f"/contests/{contest.slug}/compare/")
    page.evaluate("window.notReloaded = true")
    choices = page.get_by_role("button", name="Choose")
    expect(choices).to_have_count(2)
    seen = set()
    for _ in range(3):
        expect(choices).to_have_count(2)
        seen.add(tuple(sorted(choices.all_text_contents())))
        page.locator("[data-compare] [data-vote-live]").evaluate("region => { region.textContent = '' }")
        choices.first.click()
        expect(page.locator("[data-compare] [data-vote-live]")).to_have_text("Your choice was recorded.")
        # The next pair is shown once the form is no longer busy.
        expect(page.locator("[data-compare-form]")).to_have_attribute("aria-busy", "false")
    expect(page.get_by_text("You have compared every pair available to you.")).to_be_visible()
    assert len(seen) == 3
    assert page.evaluate("window.notReloaded") is True


def test_with_javascript_supports_left_follow_each_support_and_withdrawal(page: Page):
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=2)
    proposal = ProposalFactory(contest=contest)
    sign_in(page, UserFactory().email)
    page.goto(f"/contests/{contest.slug}/proposals/")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#proposal-{proposal.pk}-votes")
    expect(page.locator("[data-supports-left]")).to_have_text("2 supports left")
    row.get_by_role("button", name="Support", exact=True).click()
    expect(page.locator("[data-supports-left]")).to_have_text("1 support left")
    expect(row.locator('[data-count="ballots"]')).to_have_text("1")
    row.get_by_role("button", name="Withdraw support").click()
    expect(page.locator("[data-supports-left]")).to_have_text("2 supports left")
    expect(row.locator('[data-count="ballots"]')).to_have_text("0")
    expect(row.get_by_role("button", name="Support", exact=True)).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
