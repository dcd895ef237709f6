"""Notify followers and authors of contest phase changes, and agency followers of new contests. Run on a schedule."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from contests.notifications import DEFAULT_PHASE_NOTIFICATION_GRACE, phase_notifications_send


class Command(BaseCommand):
    help = (
        "Send the notifications for contest events that have happened (published, submission opens/closes, "
        "voting opens, results published). Each event is sent once: running it twice sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=DEFAULT_PHASE_NOTIFICATION_GRACE.total_seconds() / 3600,
            help="Events older than this are recorded without notifying anyone (default: %(default)s).",
        )

    def handle(self, *args, grace_hours: float, **options):
        run = phase_notifications_send(grace=timedelta(hours=grace_hours))
        self.stdout.write(
            f"events sent: {run.events_sent}, notifications: {run.notifications}, "
            f"stale events recorded silently: {run.events_skipped_stale}"
        )
