from django.db import migrations, models

from common.migrations_support import search_columns_fill, search_index


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0002_results_published_at_phase_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="contest",
            name="search_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="contest",
            name="search_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        search_columns_fill(app="contests", model="Contest", title="title", body=("summary", "description")),
        search_index(table="contests_contest", name="contests_contest_search_idx"),
    ]
