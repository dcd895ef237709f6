"""Every main page passes its Content-Security-Policy in Chromium: no securitypolicyviolation event.

The policy is nonce-based (django-csp); Swagger UI comes from drf-spectacular-sidecar's static files.
"""

import pytest
from django.utils import timezone

from discussion.services import comment_post
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e

COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_main_pages_have_zero_csp_violations(page, live_url):
    contest = ContestFactory(slug="rivers", title="Cleaner rivers", voting=True)
    proposal = ProposalFactory(contest=contest, title="Reed beds", submitted_at=timezone.now())
    comment_post(author=UserFactory(), target=proposal, text="Good **idea**", followup=False)
    page.context.add_init_script(COLLECT)
    urls = [
        "/",
        "/contests/",
        f"/contests/{contest.slug}/",
        f"/contests/{contest.slug}/proposals/",
        proposal.get_absolute_url(),
        f"/contests/{contest.slug}/leaderboard/",
        "/leaderboards/contributors/",
        "/agencies/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/v1/docs/",
    ]
    violations = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        page.wait_for_load_state("networkidle")
        if url == "/api/v1/docs/":
            page.get_by_text("Civitas API").first.wait_for()
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[url] = found
    assert violations == {}


def test_the_api_docs_load_nothing_from_a_cdn(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "cdn.jsdelivr" not in html and "/static/drf_spectacular_sidecar/" in html
