"""Moderation reports move from proposals to this app (their table was renamed by proposals.0005)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from common.migrations_support import content_type_move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contests", "0001_initial"),
        ("proposals", "0005_move_tables_to_their_new_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ModerationReport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("reason", models.CharField(max_length=1000, verbose_name="reason")),
                        (
                            "resolution",
                            models.CharField(
                                choices=[("open", "Open"), ("hidden", "Hidden"), ("dismissed", "Dismissed")],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("resolution_reason", models.CharField(blank=True, max_length=500, verbose_name="public reason")),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
                            ),
                        ),
                        (
                            "contest",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="moderation_reports",
                                to="contests.contest",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                            ),
                        ),
                        (
                            "resolved_by",
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
                        "ordering": ["created_at", "pk"],
                        "indexes": [models.Index(fields=["contest", "resolution"], name="proposals_report_queue_idx")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("resolution", "open")),
                                fields=("content_type", "object_id", "reporter"),
                                name="proposals_report_one_open_per_reporter",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_move(model="moderationreport", old_app="proposals", new_app="moderation"),
    ]
