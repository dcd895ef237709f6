"""Celery tasks of micro-tasks: the timers of CELERY_BEAT_SCHEDULE, each one service call, safe to run twice."""

from celery import shared_task

from microtasks import claims, services


@shared_task
def claims_expire() -> int:
    return claims.claims_expire()


@shared_task
def claims_remind_expiring() -> int:
    return claims.claims_remind_expiring()


@shared_task
def submissions_auto_approve() -> int:
    return services.submissions_auto_approve()
