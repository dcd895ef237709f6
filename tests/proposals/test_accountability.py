"""Accountability figures and pages: response rate, median and 90th percentile time to an official answer,
adopted and implemented proposals, checked against values worked out by hand; SVG chart with a data table."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from proposals.accountability import (
    agency_accountability,
    percentile_nearest_rank,
    site_accountability_report,
)
from proposals.models import Proposal, ProposalStatusChange
from tests.factories import AgencyFactory, ContestFactory, MembershipFactory, ProposalFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def answer(proposal, status, *, after):
    change = ProposalStatusChange.objects.create(
        proposal=proposal,
        status=status,
        text="Answer.",
        agency=proposal.contest.agency,
        responded_by=proposal.contest.agency.memberships.first().user,
    )
    ProposalStatusChange.objects.filter(pk=change.pk).update(created_at=T0 + after)


def make_agency(name, slug, delays_in_days, *, unanswered=0, statuses=()):
    agency = AgencyFactory(name=name, slug=slug)
    MembershipFactory(agency=agency)
    contest = ContestFactory(agency=agency)
    for index, days in enumerate(delays_in_days):
        proposal = ProposalFactory(contest=contest, submitted_at=T0)
        answer(proposal, "submitted", after=timedelta(hours=1))  # an acknowledgement is not an answer
        answer(proposal, "under_review", after=days * DAY)
        if index < len(statuses):
            Proposal.objects.filter(pk=proposal.pk).update(status=statuses[index])
    for _ in range(unanswered):
        ProposalFactory(contest=contest, submitted_at=T0)
    return agency


@pytest.fixture
def rivers():
    """12 public proposals: 10 answered after 1–9 and 20 days, 2 never; 2 adopted, 1 implemented."""
    agency = make_agency(
        "Rivers Office",
        "rivers",
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 20],
        unanswered=2,
        statuses=["adopted", "adopted", "implemented", "declined"],
    )
    # Not counted: a hidden proposal and one in an unpublished contest.
    hidden = ProposalFactory(contest=agency.contests.first(), submitted_at=T0, is_hidden=True, status="adopted")
    answer(hidden, "declined", after=DAY)
    ProposalFactory(contest=ContestFactory(agency=agency, draft=True), submitted_at=T0, status="implemented")
    return agency


@pytest.fixture
def roads():
    """2 public proposals answered after 10 and 30 days."""
    return make_agency("Roads Office", "roads", [10, 30])


def test_agency_figures_match_the_hand_computed_values(rivers):
    figures = agency_accountability(agency=rivers)
    assert (figures.proposal_count, figures.answered_count) == (12, 10)
    assert figures.response_rate == pytest.approx(100 * 10 / 12)
    # Sorted delays 1 2 3 4 5 | 6 7 8 9 20: median = (5 + 6) / 2 = 5.5 days.
    assert figures.median_response_time == timedelta(days=5.5)
    # Nearest rank: ⌈0.9 × 10⌉ = 9th smallest = 9 days.
    assert figures.p90_response_time == timedelta(days=9)
    assert figures.p90_response_days == pytest.approx(9.0)
    # Adopted counts the implemented one too (it was adopted first).
    assert (figures.adopted_count, figures.implemented_count) == (3, 1)


def test_site_figures_match_the_hand_computed_values(rivers, roads):
    report = site_accountability_report(now=T0 + 40 * DAY)
    figures = report.figures
    assert (figures.proposal_count, figures.answered_count) == (14, 12)
    # Sorted: 1 2 3 4 5 6 | 7 8 9 10 20 30 -> median (6 + 7) / 2 = 6.5; p90: ⌈10.8⌉ = 11th = 20 days.
    assert figures.median_response_time == timedelta(days=6.5)
    assert figures.p90_response_time == timedelta(days=20)
    by_name = {agency.name: agency_figures for agency, agency_figures in report.agencies}
    assert list(by_name) == ["Rivers Office", "Roads Office"]
    assert by_name["Roads Office"].median_response_time == timedelta(days=20)  # (10 + 30) / 2
    assert by_name["Roads Office"].p90_response_time == timedelta(days=30)  # ⌈1.8⌉ = 2nd
    # First answers: all in March 2026 (T0 + 1…30 days), the month before is empty.
    months = dict(report.monthly)
    assert months[datetime(2026, 3, 1).date()] == 12
    assert months[datetime(2026, 2, 1).date()] == 0
    assert len(report.monthly) == 12 and report.monthly[-1][0] == datetime(2026, 4, 1).date()


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [([], 90, None), ([7], 90, 7), ([3, 1, 2], 50, 2), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9), ([1, 2], 90, 2)],
)
def test_nearest_rank_percentile(values, percent, expected):
    assert percentile_nearest_rank(values, percent) == expected


def test_agency_without_public_proposals_shows_no_figures(client, agency):
    figures = agency_accountability(agency=agency)
    assert figures.response_rate is None and figures.p90_response_time is None
    page = client.get(reverse("proposals:accountability_agency", kwargs={"slug": agency.slug})).content.decode()
    assert "No public proposals yet." in page


def test_agency_accountability_page_shows_figures_chart_and_table(client, rivers):
    response = client.get(reverse("proposals:accountability_agency", kwargs={"slug": "rivers"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Does Rivers Office answer?" in page
    assert "83 % (10 of 12 public proposals have an official answer)" in page
    assert "5.5 days" in page and "9.0 days" in page
    assert "<dt>Proposals adopted</dt>\n    <dd>3</dd>" in page
    assert "<dt>Proposals implemented</dt>\n    <dd>1</dd>" in page
    assert 'role="img"' in page and '<title id="monthly-chart-title">' in page and "<desc id=" in page
    assert "<caption>Proposals that got their first official answer, per month</caption>" in page


def test_unknown_agency_accountability_is_404(client):
    assert client.get(reverse("proposals:accountability_agency", kwargs={"slug": "nobody"})).status_code == 404


def test_site_accountability_page_compares_agencies(client, rivers, roads):
    page = client.get(reverse("proposals:accountability_site")).content.decode()
    assert "Does the government answer?" in page
    assert "86 % (12 of 14 public proposals have an official answer)" in page
    assert '<title id="rate-chart-title">Response rate per agency</title>' in page
    assert page.count("<rect ") >= 2
    assert "<caption>Accountability figures per agency</caption>" in page
    assert reverse("proposals:accountability_agency", kwargs={"slug": "roads"}) in page
    assert "<td>20.0</td>\n      <td>30.0</td>" in page  # Roads: median and p90 in days


def test_agency_page_keeps_its_figures_and_links_the_report(client, rivers):
    page = client.get(reverse("agencies:detail", kwargs={"slug": "rivers"})).content.decode()
    assert "How this agency answers" in page and "5.5 days" in page
    assert reverse("proposals:accountability_agency", kwargs={"slug": "rivers"}) in page


@pytest.mark.parametrize("per_agency", [1, 40])
def test_accountability_pages_keep_a_constant_query_count(client, django_assert_max_num_queries, per_agency):
    for number in range(3):
        make_agency(f"Agency {number}", f"agency-q{number}", list(range(1, per_agency + 1)), unanswered=2)
    with django_assert_max_num_queries(4):  # 2 measured on the site page (rows, agencies), 1 + 1 on an agency page
        assert client.get(reverse("proposals:accountability_site")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("proposals:accountability_agency", kwargs={"slug": "agency-q0"})).status_code == 200


@pytest.mark.parametrize("name", ["proposals:accountability_site", "proposals:accountability_agency"])
def test_accountability_pages_render_in_chinese(client, rivers, name):
    kwargs = {"slug": "rivers"} if name == "proposals:accountability_agency" else {}
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


def test_bar_chart_scales_counts_to_whole_gridlines_and_rates_to_100():
    from proposals.accountability import Bar, bar_chart

    counts = bar_chart(title="t", description="d", bars=[Bar("a", 10, "10"), Bar("b", 0, "0")])
    assert [line["label"] for line in counts.gridlines] == ["0", "3", "6", "9", "12"]
    tall, empty = counts.bars
    assert (tall.y + tall.height, tall.height) == (200, 150.0)  # 10/12 of the 180-unit plot, on the baseline
    assert empty.height == 0
    rates = bar_chart(title="t", description="d", bars=[Bar("a", 50, "50 %")], max_value=100)
    assert rates.bars[0].height == 90.0 and rates.gridlines[-1]["label"] == "100"
