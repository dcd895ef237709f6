"""The phase is derived from the dates in contests.phases, and the SQL filter agrees with it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from contests.models import Contest
from contests.phases import (
    DATE_FIELDS,
    Phase,
    contest_phase,
    contest_timeline,
    next_deadline,
    phase_filter,
    submission_is_open,
    voting_is_open,
)
from tests.factories import ContestFactory

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def make_contest(*, overlap=False, gap=False, closes=True, published=True) -> Contest:
    """Submission days 0–10; voting 10–20 (5–20 with overlap, 12–20 with a gap); review to 25; results 30; closes 40."""
    return Contest(
        is_published=published,
        allow_overlap=overlap,
        submission_opens_at=day(0),
        submission_closes_at=day(10),
        voting_opens_at=day(5) if overlap else day(12) if gap else day(10),
        voting_closes_at=day(20),
        review_closes_at=day(25),
        results_at=day(30),
        closes_at=day(40) if closes else None,
    )


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (day(-1), Phase.UPCOMING),
        (day(0), Phase.SUBMISSION),  # opens exactly at the milestone
        (day(9.9), Phase.SUBMISSION),
        (day(10), Phase.VOTING),
        (day(19.9), Phase.VOTING),
        (day(20), Phase.REVIEW),
        (day(27), Phase.REVIEW),  # review closed, results not yet out: still review
        (day(30), Phase.RESULTS),
        (day(40), Phase.CLOSED),
        (day(400), Phase.CLOSED),
    ],
)
def test_phase_follows_the_dates(now, phase):
    assert contest_phase(make_contest(), now) == phase


def test_draft_is_draft_whatever_the_dates():
    contest = make_contest(published=False)
    for now in (day(-1), day(5), day(50)):
        assert contest_phase(contest, now) == Phase.DRAFT
        assert not submission_is_open(contest, now)
        assert not voting_is_open(contest, now)


def test_without_closing_date_results_phase_lasts():
    assert contest_phase(make_contest(closes=False), day(1000)) == Phase.RESULTS


def test_overlap_voting_phase_while_submission_still_open():
    contest = make_contest(overlap=True)
    assert contest_phase(contest, day(4)) == Phase.SUBMISSION
    assert contest_phase(contest, day(7)) == Phase.VOTING
    assert submission_is_open(contest, day(7))
    assert voting_is_open(contest, day(7))
    assert not submission_is_open(contest, day(10))


def test_gap_between_submission_and_voting_stays_in_submission_but_nothing_is_open():
    contest = make_contest(gap=True)
    assert contest_phase(contest, day(11)) == Phase.SUBMISSION
    assert not submission_is_open(contest, day(11))
    assert not voting_is_open(contest, day(11))
    assert contest_phase(contest, day(12)) == Phase.VOTING


@pytest.mark.django_db
@pytest.mark.parametrize("shape", [{}, {"overlap": True}, {"gap": True}, {"closes": False}, {"published": False}])
def test_sql_phase_filter_agrees_with_contest_phase(shape):
    shaped = make_contest(**shape)
    dates = {field: getattr(shaped, field) for field in DATE_FIELDS}
    stored = ContestFactory(**dates, allow_overlap=shaped.allow_overlap, is_published=shaped.is_published)
    for offset in [-1, 0, 4, 7, 10, 11, 12, 19.9, 20, 27, 30, 39, 40, 100]:
        now = day(offset)
        expected = contest_phase(stored, now)
        matching = {
            phase for phase in Phase if Contest.objects.filter(pk=stored.pk).filter(phase_filter(phase, now)).exists()
        }
        assert matching == {expected}, (offset, expected, matching)


def test_timeline_marks_exactly_the_current_phase():
    timeline = contest_timeline(make_contest(), day(15))
    current = [step["phase"] for step in timeline if step["is_current"]]
    assert current == [Phase.VOTING]
    assert [step["phase"] for step in timeline if step["is_past"]] == [Phase.UPCOMING, Phase.SUBMISSION]
    assert timeline[-1]["phase"] == Phase.CLOSED


def test_next_deadline_is_the_soonest_date_ahead():
    label, moment = next_deadline(make_contest(), day(15))
    assert moment == day(20)
    with translation.override("en"):  # a test before it in the same worker may leave another language active
        assert str(label) == "Voting closes"
    assert next_deadline(make_contest(), day(41)) is None
