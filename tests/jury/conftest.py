from datetime import timedelta

import pytest
from django.utils import timezone

from jury.models import ContestReviewSettings
from tests.factories import ContestFactory, ContestReviewerFactory, CriterionFactory, ProposalFactory


def days(n: float):
    return timezone.now() + timedelta(days=n)


def review_phase_dates() -> dict:
    """Dates of a contest whose voting closed yesterday and whose review closes in five days."""
    return {
        "submission_opens_at": days(-30),
        "submission_closes_at": days(-20),
        "voting_opens_at": days(-20),
        "voting_closes_at": days(-1),
        "review_closes_at": days(5),
        "results_at": days(10),
    }


@pytest.fixture
def review_contest(agency):
    """A contest in its review phase, run by `agency`, with a two-criterion rubric (60 / 40)."""
    contest = ContestFactory(agency=agency, slug="clean-rivers", title="Clean rivers", **review_phase_dates())
    CriterionFactory(contest=contest, name="Impact", weight=60)
    CriterionFactory(contest=contest, name="Feasibility", weight=40)
    ContestReviewSettings.objects.create(contest=contest, reviewers_per_proposal=2, blind=True)
    return contest


@pytest.fixture
def make_reviewer():
    def make(contest, **kwargs):
        return ContestReviewerFactory(contest=contest, **kwargs)

    return make


@pytest.fixture
def make_proposals():
    def make(contest, count, **kwargs):
        return [ProposalFactory(contest=contest, **kwargs) for _ in range(count)]

    return make
