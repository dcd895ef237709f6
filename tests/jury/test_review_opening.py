"""Review opens by itself: the beat job assigns reviewers and notifies each of them once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from jury.models import Review
from notifications.models import Notification
from tests.jury.conftest import review_phase_dates

pytestmark = pytest.mark.django_db


def run_beat_job(django_capture_on_commit_callbacks):
    """What Celery beat sends every few minutes, by its name in the schedule."""
    celery_app.loader.import_default_modules()  # what a worker and beat do when they start: find every tasks.py
    task = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE["review-assignments"]["task"]]
    with django_capture_on_commit_callbacks(execute=True):
        return task.delay().get()


@pytest.fixture
def reviewers(review_contest, make_reviewer, make_proposals):
    make_proposals(review_contest, 4)
    return [make_reviewer(review_contest) for _ in range(3)]


def test_review_opening_assigns_and_notifies_each_reviewer_once(
    review_contest, reviewers, django_capture_on_commit_callbacks
):
    assert run_beat_job(django_capture_on_commit_callbacks) == 1

    assert Review.objects.filter(reviewer__contest=review_contest).count() == 4 * 2  # R = 2 per proposal
    for reviewer in reviewers:
        notifications = Notification.objects.filter(recipient=reviewer.user, kind="review_assigned")
        assert notifications.count() == 1
        assert "Clean rivers" in notifications.get().data["contest_title"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.user.email for r in reviewers)


def test_running_the_job_twice_changes_nothing(review_contest, reviewers, django_capture_on_commit_callbacks):
    run_beat_job(django_capture_on_commit_callbacks)
    assignments = set(Review.objects.values_list("reviewer_id", "proposal_id"))
    emails = len(mail.outbox)

    assert run_beat_job(django_capture_on_commit_callbacks) == 0

    assert set(Review.objects.values_list("reviewer_id", "proposal_id")) == assignments
    assert Notification.objects.filter(kind="review_assigned").count() == len(reviewers)
    assert len(mail.outbox) == emails


def test_every_timer_in_the_schedule_is_a_registered_task():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name


def test_a_contest_still_in_voting_is_left_alone(review_contest, reviewers, django_capture_on_commit_callbacks):
    review_contest.voting_closes_at = timezone.now() + timedelta(hours=1)
    review_contest.save()

    assert run_beat_job(django_capture_on_commit_callbacks) == 0
    assert not Review.objects.exists()
    assert not Notification.objects.filter(kind="review_assigned").exists()


def test_a_contest_without_reviewers_is_assigned_once_they_are_added(
    agency, make_reviewer, make_proposals, django_capture_on_commit_callbacks
):
    from tests.factories import ContestFactory, CriterionFactory

    contest = ContestFactory(agency=agency, **review_phase_dates())
    CriterionFactory(contest=contest)
    make_proposals(contest, 2)
    assert run_beat_job(django_capture_on_commit_callbacks) == 0

    added = [make_reviewer(contest) for _ in range(3)]  # three per proposal by default
    assert run_beat_job(django_capture_on_commit_callbacks) == 1
    assert all(Review.objects.filter(reviewer=reviewer).count() == 2 for reviewer in added)
