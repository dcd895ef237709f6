"""Browser: a citizen replies to a comment on a proposal and sees the reply nested in the thread."""

import pytest
from playwright.sync_api import Page, expect

from discussion import selectors as comment_selectors
from discussion import services as comment_services
from tests.factories import TEST_PASSWORD, ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_citizen_posts_a_reply_and_sees_it_in_the_thread(page: Page):
    proposal = ProposalFactory(contest=ContestFactory(slug="river-ideas"), title="Plant willows")
    first = UserFactory(display_name="Fay First")
    comment_services.comment_post(author=first, target=proposal, text="Willows need **lots** of water.")
    replier = UserFactory(display_name="Rui Replier")
    sign_in(page, replier.email)

    page.goto(proposal.get_absolute_url())
    thread = page.locator("#discussion")
    expect(thread.get_by_role("heading", name="Comments (1)")).to_be_visible()
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Your reply to Fay First").fill("The river has plenty.")
    thread.get_by_role("button", name="Post reply").click()

    expect(page.get_by_text("Your comment was posted.")).to_be_visible()
    reply = page.locator(".comment-level-1").filter(has_text="The river has plenty.")
    expect(reply).to_be_visible()
    expect(reply.get_by_role("link", name="Rui Replier")).to_be_visible()
    expect(reply.get_by_role("link", name="in reply")).to_have_attribute(
        "href", f"#c{comment_selectors.comment_thread(target=proposal, user=None)[0].id}"
    )
    expect(thread.get_by_role("heading", name="Comments (2)")).to_be_visible()


def test_comment_count_updates_on_the_open_proposal_page(page: Page, settings):
    settings.COMMENTS_COUNT_POLL_SECONDS = 1
    proposal = ProposalFactory(contest=ContestFactory(slug="river-ideas"), title="Plant willows")
    author = UserFactory()
    comment_services.comment_post(author=author, target=proposal, text="First")
    page.goto(proposal.get_absolute_url())
    heading = page.locator("#comments-heading")
    expect(heading).to_have_text("Comments (1)")
    comment_services.comment_post(author=UserFactory(), target=proposal, text="Second, posted elsewhere")
    expect(heading).to_have_text("Comments (2)")
