"""Helpers for migrations that move a model from one app to another and keep its rows.

A moved model keeps its table: the new app's first migration takes it over in Django's
state only (`SeparateDatabaseAndState`), then renames the table to the new app's name
(`AlterModelTable`). Its content type follows it here, so permissions, admin history
and generic relations that point at it stay valid. Migrations import this module only;
it must not import any app.
"""

from django.db import migrations


def content_type_move(*, model: str, old_app: str, new_app: str) -> migrations.RunPython:
    """A reversible step that renames the model's content type from `old_app` to `new_app`."""

    def rename(from_app: str, to_app: str):
        def run(apps, schema_editor):
            ContentType = apps.get_model("contenttypes", "ContentType")
            if not ContentType.objects.filter(app_label=to_app, model=model).exists():
                ContentType.objects.filter(app_label=from_app, model=model).update(app_label=to_app)

        return run

    return migrations.RunPython(rename(old_app, new_app), rename(new_app, old_app), elidable=False)


def search_columns_fill(*, app: str, model: str, title: str, body: tuple[str, ...]) -> migrations.RunPython:
    """Fill the search columns (common.search) of existing rows: title from `title`, body from the `body` fields."""

    def run(apps, schema_editor):
        from common.search import search_text  # noqa: PLC0415 - jieba loads only when the migration runs

        Model = apps.get_model(app, model)
        batch = []
        for row in Model.objects.only("pk", title, *body).iterator(chunk_size=2000):
            row.search_title = search_text(getattr(row, title))
            row.search_body = search_text(*(getattr(row, name) for name in body))
            batch.append(row)
            if len(batch) >= 2000:
                Model.objects.bulk_update(batch, ["search_title", "search_body"])
                batch = []
        Model.objects.bulk_update(batch, ["search_title", "search_body"])

    return migrations.RunPython(run, migrations.RunPython.noop, elidable=True)


def search_index(*, table: str, name: str) -> migrations.RunPython:
    """On PostgreSQL, the GIN index over the search vector of common.search.search_vector(); nothing elsewhere."""
    vector = (
        "(setweight(to_tsvector('english'::regconfig, COALESCE(search_title, '')), 'A')"
        " || setweight(to_tsvector('english'::regconfig, COALESCE(search_body, '')), 'B'))"
    )

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({vector})")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
