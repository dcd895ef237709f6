"""Recompute every user's points from the ledger and compare with the totals the site shows."""

from django.core.management.base import BaseCommand, CommandError

from engagement.selectors import points_rebuild, points_totals


class Command(BaseCommand):
    help = "Replay the points ledger, check its rules, and compare the rebuilt totals with the aggregated ones."

    def handle(self, *args, **options):
        audit = points_rebuild()
        shown = points_totals()
        mismatches = {
            user_id: (audit.totals.get(user_id, 0), shown.get(user_id, 0))
            for user_id in set(audit.totals) | set(shown)
            if audit.totals.get(user_id, 0) != shown.get(user_id, 0)
        }
        for problem in audit.problems:
            self.stderr.write(problem)
        for user_id, (rebuilt, total) in sorted(mismatches.items()):
            self.stderr.write(f"user {user_id}: ledger replay {rebuilt}, aggregated {total}")
        if audit.problems or mismatches:
            raise CommandError(f"{len(audit.problems)} ledger problem(s), {len(mismatches)} total(s) differ.")
        self.stdout.write(f"Ledger consistent: {len(audit.totals)} users, totals match.")
