"""Early publication of results is the contest's own date now (contests.phases.results_are_published)."""

from django.db import migrations


def copy_to_contests(apps, schema_editor):
    ContestReviewSettings = apps.get_model("jury", "ContestReviewSettings")
    Contest = apps.get_model("contests", "Contest")
    for contest_id, published_at in ContestReviewSettings.objects.filter(results_published_at__isnull=False).values_list(
        "contest_id", "results_published_at"
    ):
        Contest.objects.filter(pk=contest_id).update(results_published_at=published_at)


def copy_back(apps, schema_editor):
    ContestReviewSettings = apps.get_model("jury", "ContestReviewSettings")
    Contest = apps.get_model("contests", "Contest")
    for contest_id, published_at in Contest.objects.filter(results_published_at__isnull=False).values_list(
        "pk", "results_published_at"
    ):
        ContestReviewSettings.objects.filter(contest_id=contest_id).update(results_published_at=published_at)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0002_results_published_at_phase_notifications"),
        ("jury", "0002_settings_chosen_winners"),
    ]

    operations = [
        migrations.RunPython(copy_to_contests, copy_back),
        migrations.RemoveField(model_name="contestreviewsettings", name="results_published_at"),
    ]
