"""Contests point at agencies' new app, may publish results early (jury.0003 moves the dates here),
and keep the record of phase notifications sent (taken over from accounts, rows kept)."""

import django.db.models.deletion
from django.db import migrations, models

from common.migrations_support import content_type_move


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_move_tables_to_their_new_apps"),
        ("agencies", "0001_agencies_from_accounts"),
        ("contests", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contest",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="contests", to="agencies.agency"
            ),
        ),
        migrations.AddField(
            model_name="contest",
            name="results_published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="results published early at"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PhaseNotificationSent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "phase",
                            models.CharField(
                                choices=[
                                    ("published", "Contest published"),
                                    ("submission_opens", "Submission opens"),
                                    ("submission_closes", "Submission closes"),
                                    ("voting_opens", "Voting opens"),
                                    ("results_published", "Results published"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("recipient_count", models.PositiveIntegerField(default=0)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "contest",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="phase_notifications_sent",
                                to="contests.contest",
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("contest", "phase"), name="accounts_phasenotificationsent_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_move(model="phasenotificationsent", old_app="accounts", new_app="contests"),
    ]
