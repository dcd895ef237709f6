"""Timers of the jury (Celery beat, config/settings.py `CELERY_BEAT_SCHEDULE`)."""

from celery import shared_task

from jury.review_opening import review_assignments_run as review_assignments_run_service


@shared_task
def review_assignments_run() -> int:
    """Every few minutes: contests whose review opened get their reviewers assigned and notified, once."""
    return review_assignments_run_service()
