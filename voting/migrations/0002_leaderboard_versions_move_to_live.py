"""Leaderboard versions live in live's one table for every board ("lb.<contest id>"); they keep growing from where they were."""

from django.db import migrations


def copy_versions(apps, schema_editor):
    LeaderboardState = apps.get_model("voting", "LeaderboardState")
    BoardVersion = apps.get_model("live", "BoardVersion")
    BoardVersion.objects.bulk_create(
        [
            BoardVersion(key=f"lb.{contest_id}", version=version)
            for contest_id, version in LeaderboardState.objects.values_list("contest_id", "version")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_board_versions"),
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_versions, migrations.RunPython.noop),
        migrations.DeleteModel(name="LeaderboardState"),
    ]
