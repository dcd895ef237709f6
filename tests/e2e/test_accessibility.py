"""axe-core (vendored from npm, tests/e2e/vendor/axe.min.js) on every main page: signed out and signed in,
English and Chinese, desktop and phone. No serious or critical violation is allowed.

One browser; one page per (sign-in, language, screen) combination, reused for every URL. With
E2E_SCREENSHOT_DIR set, each page is also saved as a screenshot (`make screenshots`).
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from discussion.services import comment_post
from jury.models import ContestReviewSettings
from tests.factories import TEST_PASSWORD, ContestFactory, CriterionFactory, ProposalFactory, UserFactory
from voting.models import Vote
from voting.services import vote_cast

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SHOTS = {"desktop": ("home", "proposal", "leaderboard", "results", "profile"), "phone": ("home", "proposal")}
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _world():
    now = timezone.now()
    citizen = UserFactory(display_name="Ada Lovelace", email="ada@example.org")
    voting = ContestFactory(
        slug="safer-crossings",
        title="Safer school crossings",
        voting_method="updown",
        submission_opens_at=now - timedelta(days=10),
        submission_closes_at=now + timedelta(days=5),
        voting_opens_at=now - timedelta(days=3),
        voting_closes_at=now + timedelta(days=5),
    )
    proposal = ProposalFactory(contest=voting, author=citizen, title="Raised zebra crossing at Elm Primary")
    island = ProposalFactory(contest=voting, title="上学路上增设安全岛", summary="孩子们可以分两段过马路。")
    vote_cast(voter=UserFactory(), proposal=island, value=1)
    Vote.objects.update(created_at=now - timedelta(days=2))  # it led yesterday: the board shows places moved
    for _ in range(3):
        vote_cast(voter=UserFactory(), proposal=proposal, value=1)
    comment_post(author=citizen, target=proposal, text="The morning rush is the worst.")
    results = ContestFactory(
        agency=voting.agency,
        slug="quiet-streets",
        title="Quieter residential streets",
        submission_opens_at=now - timedelta(days=90),
        submission_closes_at=now - timedelta(days=60),
        voting_opens_at=now - timedelta(days=60),
        voting_closes_at=now - timedelta(days=40),
        review_closes_at=now - timedelta(days=30),
        results_at=now - timedelta(days=20),
    )
    CriterionFactory(contest=results, name="Impact", weight=100)
    ContestReviewSettings.objects.create(contest=results, winners_count=1)
    ProposalFactory(contest=results, title="20 km/h zones")
    return citizen, voting, proposal, results


def _pages(citizen, voting, proposal, results, signed_in: bool) -> dict[str, str]:
    pages = {
        "home": "/",
        "contests": "/contests/",
        "contest": voting.get_absolute_url(),
        "proposals": f"/contests/{voting.slug}/proposals/",
        "proposal": proposal.get_absolute_url(),
        "leaderboard": f"/contests/{voting.slug}/leaderboard/",
        "results": f"/contests/{results.slug}/results/",
        "agencies": "/agencies/",
        "agency": voting.agency.get_absolute_url(),
        "accountability": "/accountability/",
        "contributors": "/leaderboards/contributors/",
        "profile": f"/users/{citizen.pk}/",
    }
    if signed_in:
        pages |= {"new-proposal": f"/contests/{voting.slug}/proposals/new/", "notifications": "/notifications/"}
    else:
        pages |= {"sign-in": "/accounts/login/", "sign-up": "/accounts/signup/"}
    return pages


def _serious(page: Page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_main_pages_have_no_serious_accessibility_violations(new_page, signed_in):
    citizen, voting, proposal, results = _world()
    shots = os.environ.get("E2E_SCREENSHOT_DIR")
    problems = {}
    for language in ("en", "zh-hans"):
        for screen, viewport in SCREENS.items():
            # axe is injected by the test, not served by the site: the page's own CSP (tests/e2e/test_csp.py) must not block it.
            page = new_page(viewport=viewport, locale="zh-CN" if language == "zh-hans" else "en-GB", bypass_csp=True)
            page.set_extra_http_headers({"Accept-Language": language})
            if signed_in:
                page.goto("/accounts/login/")
                page.locator("input[name=login]").fill(citizen.email)
                page.locator("input[name=password]").fill(TEST_PASSWORD)
                page.locator("form.login button[type=submit], main form button[type=submit]").first.click()
                page.wait_for_url("**/")
            for name, url in _pages(citizen, voting, proposal, results, signed_in).items():
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language, (name, language)
                found = _serious(page)
                if found:
                    problems[f"{name} {language} {screen} {'in' if signed_in else 'out'}"] = found
                if shots and language == "en" and not signed_in and name in SHOTS.get(screen, ()):
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=Path(shots) / f"{name}-{screen}.png", full_page=False)
            page.context.close()
    assert not problems, problems
