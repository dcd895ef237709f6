"""The contest list: filters, search, pagination, and a query count that does not grow with contests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contests.models import Category, Contest
from contests.selectors import contest_list
from tests.factories import AgencyFactory, ContestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contests(agency, other_agency):
    rivers = ContestFactory(agency=agency, title="Clean rivers", summary="Less plastic in water", slug="rivers")
    buses = ContestFactory(
        agency=other_agency, title="Night buses", summary="Getting home safely", voting=True, slug="buses"
    )
    parks = ContestFactory(
        agency=agency, title="Pocket parks", description="Small green spaces near rivers", upcoming=True, slug="parks"
    )
    hidden = ContestFactory(agency=agency, title="Hidden rivers draft", draft=True, slug="hidden")
    Category.objects.create(contest=rivers, name="Water quality", slug="water-quality")
    Category.objects.create(contest=buses, name="Safety", slug="safety")
    return {"rivers": rivers, "buses": buses, "parks": parks, "hidden": hidden}


def slugs(queryset):
    return sorted(contest.slug for contest in queryset)


def test_list_shows_published_contests_only(contests):
    assert slugs(contest_list()) == ["buses", "parks", "rivers"]


def test_filter_by_agency_phase_and_category(contests, agency):
    assert slugs(contest_list(agency=agency.slug)) == ["parks", "rivers"]
    assert slugs(contest_list(phase="voting")) == ["buses"]
    assert slugs(contest_list(phase="upcoming")) == ["parks"]
    assert slugs(contest_list(phase="submission")) == ["rivers"]
    assert slugs(contest_list(phase="draft")) == []  # drafts never listed, whatever the filter
    assert slugs(contest_list(category="safety")) == ["buses"]
    assert slugs(contest_list(agency=agency.slug, category="safety")) == []


def test_search_finds_words_in_title_summary_and_description_but_not_drafts(contests):
    assert slugs(contest_list(q="rivers")) == ["parks", "rivers"]
    assert slugs(contest_list(q="safely")) == ["buses"]
    assert slugs(contest_list(q="nothing-like-this")) == []


def test_list_page_filters_and_keeps_them_in_pagination_links(client, contests, agency):
    page = client.get("/contests/", {"agency": agency.slug, "q": "rivers"}).content.decode()
    assert "Clean rivers" in page and "Pocket parks" in page
    assert "Night buses" not in page and "Hidden rivers draft" not in page


def test_list_page_ignores_unknown_filter_values_instead_of_failing(client, contests):
    response = client.get("/contests/", {"phase": "nonsense", "agency": "ghost"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_list_page_paginates(client, agency):
    now = timezone.now()
    Contest.objects.bulk_create(
        [
            Contest(
                agency=agency,
                title=f"Contest {index:02d}",
                slug=f"c-{index}",
                summary="s",
                is_published=True,
                submission_opens_at=now - timedelta(days=1, minutes=index),
                submission_closes_at=now + timedelta(days=1),
                voting_opens_at=now + timedelta(days=1),
                voting_closes_at=now + timedelta(days=2),
                review_closes_at=now + timedelta(days=3),
                results_at=now + timedelta(days=4),
            )
            for index in range(25)
        ]
    )
    first = client.get("/contests/").content.decode()
    assert "Contest 00" in first and "Contest 24" not in first
    assert "Page 1 of 2" in first
    second = client.get("/contests/", {"page": 2}).content.decode()
    assert "Contest 24" in second
    assert client.get("/contests/", {"page": "999"}).status_code == 200


def _many_contests(count: int) -> None:
    agencies = [AgencyFactory() for _ in range(3)]
    now = timezone.now()
    created = Contest.objects.bulk_create(
        [
            Contest(
                agency=agencies[index % 3],
                title=f"Contest {index}",
                slug=f"bulk-{index}",
                summary="A policy challenge.",
                is_published=True,
                submission_opens_at=now - timedelta(days=1, minutes=index),
                submission_closes_at=now + timedelta(days=1),
                voting_opens_at=now + timedelta(days=1),
                voting_closes_at=now + timedelta(days=2),
                review_closes_at=now + timedelta(days=3),
                results_at=now + timedelta(days=4),
            )
            for index in range(count)
        ]
    )
    Category.objects.bulk_create(
        [
            Category(contest=contest, name=f"Topic {contest.pk % 7}", slug=f"topic-{contest.pk % 7}")
            for contest in created
        ]
    )


# filter choices (agencies, categories), count, page of contests, their categories. Anonymous: no session query.
LIST_PAGE_QUERIES = 5


@pytest.mark.parametrize("count", [10, 1000])
def test_list_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    _many_contests(count)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get("/contests/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == min(count, 20)


@pytest.mark.parametrize("count", [10, 1000])
def test_filtered_list_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    _many_contests(count)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get("/contests/", {"q": "Contest", "phase": "submission", "category": "topic-1"})
    assert response.status_code == 200
