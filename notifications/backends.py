"""Django's EMAIL_BACKEND: it only queues. Whatever calls `send_mail` (allauth's verification and
password reset emails, `mail_admins`) writes outbox rows that a task delivers after commit through
`EMAIL_DELIVERY_BACKEND` (notifications.outbox)."""

from django.core.mail.backends.base import BaseEmailBackend

from notifications.outbox import emails_store_from_messages


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        return emails_store_from_messages(list(email_messages or []))
