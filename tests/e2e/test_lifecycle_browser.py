"""Browser: the ends of the contest lifecycle as people click through them.

A manager creates a draft contest, previews and publishes it; later answers a proposal with
`shortlisted`; the author signs in, finds the notification and follows it to the answer.
(The middle of the story, submission to merge, is in tests/test_lifecycle.py.)
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from contests.models import Contest
from notifications.models import Notification
from proposals.models import Proposal
from tests.factories import TEST_PASSWORD, AgencyFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e

DATE_FORMAT = "%Y-%m-%dT%H:%M"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_manager_publishes_and_answers_and_the_author_sees_the_notification(new_page, mailoutbox):
    agency = AgencyFactory(name="City Water", slug="city-water")
    manager = MembershipFactory(agency=agency, role="manager", user__display_name="Mara Manager").user
    author = UserFactory(display_name="Ada Citizen")

    # The manager creates a draft through the form, previews it and publishes it.
    manager_page = new_page()
    sign_in(manager_page, manager.email)
    manager_page.goto(f"/contests/new/{agency.slug}/")
    start = timezone.localtime(timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    manager_page.get_by_label("Title:", exact=True).fill("Cleaner rivers")
    manager_page.get_by_label("Slug:", exact=True).fill("cleaner-rivers")
    manager_page.get_by_label("Summary:", exact=True).fill("Ideas to make our rivers clean again.")
    manager_page.get_by_label("Categories:", exact=True).fill("Water\nParks")
    for label, days in (
        ("Submission opens:", 0),
        ("Submission closes:", 10),
        ("Voting opens:", 10),
        ("Voting closes:", 20),
        ("Review closes:", 25),
        ("Results published:", 30),
    ):
        manager_page.get_by_label(label, exact=True).fill((start + timedelta(days=days)).strftime(DATE_FORMAT))
    manager_page.get_by_role("button", name="Save draft").click()
    expect(manager_page.get_by_text("Draft preview.")).to_be_visible()
    assert not Contest.objects.get(slug="cleaner-rivers").is_published
    manager_page.get_by_role("button", name="Publish contest").click()
    expect(manager_page.get_by_text("The contest is published.")).to_be_visible()
    expect(manager_page.get_by_text("Draft preview.")).to_have_count(0)
    contest = Contest.objects.get(slug="cleaner-rivers")
    assert contest.is_published

    # Anyone sees it now.
    visitor = new_page()
    visitor.goto("/contests/cleaner-rivers/")
    expect(visitor.get_by_role("heading", name="Cleaner rivers", level=1)).to_be_visible()

    # A citizen's proposal (submitted; the submission itself is covered by tests/test_lifecycle.py).
    proposal = ProposalFactory(contest=contest, author=author, title="Plant willow trees along the river banks")
    assert proposal.status == Proposal.Status.SUBMITTED

    # The manager answers it from the proposal page.
    manager_page.goto(proposal.get_absolute_url())
    manager_page.get_by_role("link", name="Answer officially").click()
    manager_page.get_by_label("New status:", exact=True).select_option("shortlisted")
    manager_page.get_by_label("Public answer:", exact=True).fill("A strong idea: we will cost it with the parks team.")
    manager_page.get_by_role("button", name="Publish answer").click()
    expect(manager_page.get_by_text("Your answer is published and the authors were notified.")).to_be_visible()
    answers = manager_page.get_by_role("region", name="Official answers")
    expect(answers.get_by_text("A strong idea: we will cost it with the parks team.")).to_be_visible()
    expect(answers.get_by_text("answered by City Water")).to_be_visible()

    # The author signs in, opens the notifications and follows the one about the answer.
    author_page = new_page()
    sign_in(author_page, author.email)
    author_page.goto("/notifications/")
    notice = author_page.get_by_role("link", name="City Water answered your proposal")
    expect(notice).to_be_visible()
    notice.click()
    expect(author_page.get_by_role("heading", name="Plant willow trees along the river banks")).to_be_visible()
    expect(author_page.get_by_text("A strong idea: we will cost it with the parks team.")).to_be_visible()
    assert Notification.objects.filter(recipient=author, kind="proposal_status").exists()
    assert any(author.email in message.to for message in mailoutbox)
