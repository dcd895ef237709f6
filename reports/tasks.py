"""Celery tasks of reports: the two timers (CELERY_BEAT_SCHEDULE), thin and safe to run twice."""

from celery import shared_task

from reports.timers import report_followups_send, reports_overdue_mark


@shared_task(name="reports.tasks.reports_overdue_mark")
def reports_overdue_mark_task() -> int:
    return reports_overdue_mark()


@shared_task(name="reports.tasks.report_followups_send")
def report_followups_send_task() -> int:
    return report_followups_send()
