"""`manage.py verify_record`: re-hash the decision record; exit status 1 and every broken entry when it fails."""

from django.core.management.base import BaseCommand, CommandError

from record.services import record_verify


class Command(BaseCommand):
    help = "Check the decision record's hash chain and name every entry that does not match."

    def handle(self, *args, **options):
        result = record_verify()
        if result.ok:
            self.stdout.write(f"OK: {result.entries} entries, head #{result.head_sequence} {result.head_hash}")
            return
        for problem in result.problems:
            self.stdout.write(f"entry #{problem.sequence} (id {problem.entry_id}): {problem.problem}")
        raise CommandError(f"decision record broken: {len(result.problems)} problem(s) in {result.entries} entries")
