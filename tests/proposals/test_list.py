import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from common.search import search_text
from proposals.models import Proposal
from proposals.selectors import proposal_contest_section
from tests.factories import CategoryFactory, ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def list_url(contest):
    return reverse("proposals:list", kwargs={"contest_slug": contest.slug})


def titles(response) -> list[str]:
    return [proposal.title for proposal in response.context["proposals"]]


def bulk_proposals(contest, count, **fields):
    authors = UserFactory.create_batch(3)
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                contest=contest,
                author=authors[index % 3],
                title=f"Idea {index:04d}",
                summary="A summary.",
                body="A body.",
                # bulk_create skips save(), which derives the search columns
                search_title=search_text(f"Idea {index:04d}"),
                search_body=search_text("A summary.", "A body."),
                status=Proposal.Status.SUBMITTED,
                submitted_at=now - timezone.timedelta(minutes=index),
                **fields,
            )
            for index in range(count)
        ]
    )
    return proposals


def test_search_filter_and_public_only(client, contest):
    water = CategoryFactory(contest=contest, slug="water", name="Water")
    ProposalFactory(contest=contest, title="Willows on the banks", category=water)
    ProposalFactory(contest=contest, title="Bike lanes", body="Paint lanes near the willows.")
    ProposalFactory(contest=contest, title="Willow draft", status="draft", submitted_at=None)
    ProposalFactory(contest=contest, title="Willow hidden", is_hidden=True)
    ProposalFactory(contest=contest, title="Willow withdrawn", status="withdrawn")
    ProposalFactory(contest=ContestFactory(), title="Willows elsewhere")

    assert sorted(titles(client.get(list_url(contest), {"q": "willow"}))) == ["Bike lanes", "Willows on the banks"]
    assert titles(client.get(list_url(contest), {"category": "water"})) == ["Willows on the banks"]
    page = client.get(list_url(contest), {"q": "nothing-like-this"})
    assert "No proposal matches your search." in page.content.decode()


def test_sorts_newest_oldest_and_title(client, contest):
    now = timezone.now()
    ProposalFactory(contest=contest, title="banana", submitted_at=now - timezone.timedelta(days=2))
    ProposalFactory(contest=contest, title="Apple", submitted_at=now - timezone.timedelta(days=1))
    ProposalFactory(contest=contest, title="cherry", submitted_at=now)

    assert titles(client.get(list_url(contest))) == ["cherry", "Apple", "banana"]
    assert titles(client.get(list_url(contest), {"sort": "oldest"})) == ["banana", "Apple", "cherry"]
    assert titles(client.get(list_url(contest), {"sort": "title"})) == ["Apple", "banana", "cherry"]
    assert titles(client.get(list_url(contest), {"sort": "nonsense"})) == ["cherry", "Apple", "banana"]


def test_random_order_is_stable_for_a_visitor_and_differs_between_visitors(client, contest):
    bulk_proposals(contest, 60)
    first = titles(client.get(list_url(contest), {"sort": "random"}))
    again = titles(client.get(list_url(contest), {"sort": "random"}))
    second_page = titles(client.get(list_url(contest), {"sort": "random", "page": 2}))
    assert first == again
    assert not set(first) & set(second_page)  # pages do not overlap: the order is stable across pages

    newest = titles(client.get(list_url(contest)))
    assert first != newest

    orders = set()
    for _ in range(3):
        client.cookies.clear()  # a new visitor, a new seed
        orders.add(tuple(titles(client.get(list_url(contest), {"sort": "random"}))))
    assert len(orders | {tuple(first)}) > 1


def test_pagination_keeps_the_filters(client, contest):
    bulk_proposals(contest, 45)
    response = client.get(list_url(contest), {"q": "Idea", "sort": "title", "page": 3})
    assert titles(response) == [f"Idea {index:04d}" for index in range(40, 45)]
    html = response.content.decode()
    assert re.search(r'href="\?q=Idea&amp;sort=title&amp;page=2"', html)


def test_the_list_of_an_unpublished_contest_is_not_found(client, agency):
    assert client.get(list_url(ContestFactory(agency=agency, draft=True))).status_code == 404


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_page_runs_a_constant_number_of_queries(client, contest, django_assert_max_num_queries, count):
    CategoryFactory(contest=contest)
    proposals = bulk_proposals(contest, count)
    for proposal in proposals[:20]:
        ProposalCoAuthorFactory(proposal=proposal)
    viewer = UserFactory()
    client.force_login(viewer)
    for sort in ("newest", "random"):
        client.get(list_url(contest), {"sort": sort})  # warm the session
        # session, user, email verified, contest, categories, count, page, co-authors, own drafts,
        # plus one for the site header (unread notifications): the same for 10 or 1,000 proposals.
        with django_assert_max_num_queries(11):
            response = client.get(list_url(contest), {"sort": sort, "page": 1})
        assert response.status_code == 200
        assert len(response.context["proposals"]) == min(count, 20)


def test_the_contest_section_counts_and_offers_submission(citizen, contest):
    ProposalFactory.create_batch(3, contest=contest)
    ProposalFactory(contest=contest, status="draft", submitted_at=None)
    request = RequestFactory().get("/")
    request.user = citizen

    html = render_to_string(
        "proposals/includes/contest_section.html",
        {"section": proposal_contest_section(contest=contest, user=citizen), "user": citizen},
        request=request,
    )

    assert "3 proposals submitted." in html
    assert reverse("proposals:list", kwargs={"contest_slug": contest.slug}) in html
    assert "Submit a proposal" in html


def test_the_contest_section_hides_the_button_at_the_limit_and_after_the_phase(citizen, contest, agency):
    ProposalFactory.create_batch(2, contest=contest, author=citizen)
    section = proposal_contest_section(contest=contest, user=citizen)
    assert section.can_submit is False
    html = render_to_string("proposals/includes/contest_section.html", {"section": section, "user": citizen})
    assert "You have submitted the most proposals allowed (2)." in html
    closed = proposal_contest_section(contest=ContestFactory(agency=agency, voting=True), user=UserFactory())
    assert closed.can_submit is False
