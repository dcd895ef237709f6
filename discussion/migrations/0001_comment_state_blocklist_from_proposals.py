"""Comment states and agency blocklists move from proposals to this app (tables renamed by proposals.0005)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from common.migrations_support import content_type_move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0001_agencies_from_accounts"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
        ("proposals", "0005_move_tables_to_their_new_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CommentBlocklist",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "terms",
                            models.TextField(
                                blank=True,
                                help_text="One per line. A comment containing any of them waits for a moderator.",
                                max_length=5000,
                                verbose_name="blocked words and links",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "agency",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="comment_blocklist",
                                to="agencies.agency",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="CommentState",
                    fields=[
                        (
                            "comment",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="civitas_state",
                                serialize=False,
                                to="django_comments_xtd.xtdcomment",
                            ),
                        ),
                        ("edited_at", models.DateTimeField(blank=True, null=True)),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "is_held",
                            models.BooleanField(
                                default=False, help_text="Waits for a moderator (it matched the blocklist)."
                            ),
                        ),
                        ("held_reason", models.CharField(blank=True, max_length=200)),
                        (
                            "hidden_reason",
                            models.CharField(blank=True, max_length=500, verbose_name="public reason for hiding"),
                        ),
                        ("hidden_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "hidden_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("hidden_at__isnull", True),
                                    models.Q(("hidden_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="proposals_commentstate_hidden_has_reason",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_move(model="commentblocklist", old_app="proposals", new_app="discussion"),
        content_type_move(model="commentstate", old_app="proposals", new_app="discussion"),
    ]
