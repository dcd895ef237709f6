"""Rename the tables of the models leaving proposals to their new apps' names, rows kept.

First step of a move (see accounts.0004): moderation.0001 and discussion.0001 then take the
models over, and proposals.0006 lets go of them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_discussion_follow"),
    ]

    operations = [
        migrations.AlterModelTable(name="moderationreport", table="moderation_moderationreport"),
        migrations.AlterModelTable(name="commentstate", table="discussion_commentstate"),
        migrations.AlterModelTable(name="commentblocklist", table="discussion_commentblocklist"),
    ]
