"""Agency accountability figures: response rate and median time to the first official answer (hand-computed)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from proposals.accountability import agency_accountability
from proposals.models import ProposalStatusChange
from tests.factories import ContestFactory, ProposalFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def answer(proposal, manager, status, *, after):
    change = ProposalStatusChange.objects.create(
        proposal=proposal, status=status, text="Answer.", agency=proposal.contest.agency, responded_by=manager
    )
    ProposalStatusChange.objects.filter(pk=change.pk).update(created_at=T0 + after)


@pytest.fixture
def figures_fixture(agency, other_agency, agency_manager):
    contest = ContestFactory(agency=agency)
    day = timedelta(days=1)

    def submitted(**kwargs):
        return ProposalFactory(contest=contest, submitted_at=T0, **kwargs)

    first = submitted()  # answered after 2 days (an earlier "submitted" acknowledgement does not count)
    answer(first, agency_manager, "submitted", after=timedelta(hours=1))
    answer(first, agency_manager, "under_review", after=2 * day)
    second = submitted()  # answered after 4 days, again after 10: the first answer counts
    answer(second, agency_manager, "declined", after=4 * day)
    answer(second, agency_manager, "declined", after=10 * day)
    third = submitted()  # answered after 9 days
    answer(third, agency_manager, "shortlisted", after=9 * day)
    only_acknowledged = submitted()  # a "submitted" answer only: not answered
    answer(only_acknowledged, agency_manager, "submitted", after=day)
    submitted()  # never answered

    # Not counted: hidden, draft, withdrawn, merged away, another agency's, an unpublished contest's.
    hidden = submitted(is_hidden=True, hidden_reason="Spam")
    answer(hidden, agency_manager, "declined", after=day)
    submitted(status="draft")
    submitted(status="withdrawn")
    submitted(merged_into=first)
    foreign = ProposalFactory(contest=ContestFactory(agency=other_agency), submitted_at=T0)
    answer(foreign, agency_manager, "declined", after=day)
    unpublished = ProposalFactory(contest=ContestFactory(agency=agency, draft=True), submitted_at=T0)
    answer(unpublished, agency_manager, "declined", after=day)


def test_figures_match_the_hand_computed_values(agency, figures_fixture):
    figures = agency_accountability(agency=agency)
    # 5 public proposals; 3 have an answer beyond "submitted" (after 2, 4 and 9 days).
    assert figures.proposal_count == 5
    assert figures.answered_count == 3
    assert figures.response_rate == pytest.approx(60.0)
    assert figures.median_response_time == timedelta(days=4)
    assert figures.median_response_days == pytest.approx(4.0)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(agency, agency_manager):
    contest = ContestFactory(agency=agency)
    for hours in (1, 3):
        answer(
            ProposalFactory(contest=contest, submitted_at=T0),
            agency_manager,
            "under_review",
            after=timedelta(hours=hours),
        )
    assert agency_accountability(agency=agency).median_response_time == timedelta(hours=2)


def test_agency_without_proposals_has_no_figures(agency):
    figures = agency_accountability(agency=agency)
    assert figures.proposal_count == 0
    assert figures.response_rate is None
    assert figures.median_response_time is None


def test_agency_page_shows_the_figures(client, agency, figures_fixture):
    html = client.get(reverse("agencies:detail", kwargs={"slug": agency.slug})).content.decode()
    assert "How this agency answers" in html
    assert "60 % (3 of 5 public proposals have an official answer)" in html
    assert "4.0 days" in html


def test_agency_page_without_proposals_says_so(client, agency):
    html = client.get(reverse("agencies:detail", kwargs={"slug": agency.slug})).content.decode()
    assert "No public proposals yet." in html
