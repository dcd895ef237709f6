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
