"""Contributor board versions live in live's one table for every board ("cb.<contest id|site>.<period>")."""

from django.db import migrations


def copy_versions(apps, schema_editor):
    ContributorBoardVersion = apps.get_model("engagement", "ContributorBoardVersion")
    BoardVersion = apps.get_model("live", "BoardVersion")
    BoardVersion.objects.bulk_create(
        [
            BoardVersion(key=f"cb.{key}", version=version)
            for key, version in ContributorBoardVersion.objects.values_list("key", "version")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_points_badges_preferences"),
        ("live", "0001_board_versions"),
    ]

    operations = [
        migrations.RunPython(copy_versions, migrations.RunPython.noop),
        migrations.DeleteModel(name="ContributorBoardVersion"),
    ]
