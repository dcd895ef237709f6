from django.db import migrations, models

from common.migrations_support import search_columns_fill, search_index


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0006_discussion_and_moderation_leave_proposals"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="search_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="proposal",
            name="search_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        search_columns_fill(app="proposals", model="Proposal", title="title", body=("summary", "body")),
        search_index(table="proposals_proposal", name="proposals_proposal_search_idx"),
    ]
