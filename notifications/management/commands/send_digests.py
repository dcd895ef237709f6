"""Email each user who chose the daily digest the notifications they have not been emailed yet. Run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.digest import digest_send_all


class Command(BaseCommand):
    help = "Send the daily notification digests. Each notification goes out once: running it twice sends nothing new."

    def add_arguments(self, parser):
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the emails.")

    def handle(self, *args, language: str, **options):
        run = digest_send_all(language=language)
        self.stdout.write(f"digests sent: {run.emails}, notifications listed: {run.notifications}")
