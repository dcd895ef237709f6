"""Timers of contests (Celery beat, config/settings.py `CELERY_BEAT_SCHEDULE`)."""

from celery import shared_task

from contests.notifications import phase_notifications_send as phase_notifications_send_service


@shared_task
def phase_notifications_send() -> int:
    """Every few minutes: announce contest events that have happened, each once (contests.notifications)."""
    return phase_notifications_send_service().events_sent
