from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class ConditionalTrigramExtension(TrigramExtension):
    """CREATE EXTENSION pg_trgm on PostgreSQL; nothing at all on other databases (SQLite, the embedded default).

    Similar-proposal detection (proposals.similarity) uses trigram similarity on
    PostgreSQL and a token-overlap fallback elsewhere.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [ConditionalTrigramExtension()]
