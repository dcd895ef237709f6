"""Background work of accounts."""

from celery import shared_task

from accounts.sms import sms_backend


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sms_send(phone: str, text: str) -> None:
    """Send one text message through the configured provider (retried on failure)."""
    sms_backend().send(phone, text)
