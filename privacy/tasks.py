from celery import shared_task

from privacy.services import personal_logs_purge


@shared_task
def personal_logs_purge_run() -> int:
    """Beat timer (daily): erase personal logs past their retention period (docs/privacy.md)."""
    return personal_logs_purge()
