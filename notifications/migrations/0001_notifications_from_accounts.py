"""Notifications and email preferences move from accounts; follows become subscriptions.

The notification and preference tables (renamed by accounts.0004) are taken over, rows kept. Preferences
gain `muted_kinds`. Every row of accounts' Follow becomes a Subscription pointing at the same
contest, proposal or agency (accounts.0004 then drops the old table); proposals.0005 does
the same for its discussion follows.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from common.migrations_support import content_type_move

FOLLOW_TARGETS = (("contest_id", "contests", "contest"), ("proposal_id", "proposals", "proposal"), ("agency_id", "agencies", "agency"))


def follows_to_subscriptions(apps, schema_editor):
    Follow = apps.get_model("accounts", "Follow")
    Subscription = apps.get_model("notifications", "Subscription")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = {}
    for field, app_label, model in FOLLOW_TARGETS:
        content_types[field] = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
    rows = []
    for follow in Follow.objects.all().iterator():
        for field, _app_label, _model in FOLLOW_TARGETS:
            target_id = getattr(follow, field)
            if target_id is not None:
                rows.append(
                    Subscription(
                        user_id=follow.user_id,
                        content_type=content_types[field],
                        object_id=target_id,
                        created_at=follow.created_at,
                    )
                )
    Subscription.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_move_tables_to_their_new_apps"),
        ("agencies", "0001_agencies_from_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("url", models.CharField(blank=True, max_length=500)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="notification_preference",
                                serialize=False,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "email_mode",
                            models.CharField(
                                choices=[
                                    ("each", "An email for each event"),
                                    ("digest", "One daily digest"),
                                    ("none", "No emails (notifications stay on the site)"),
                                ],
                                default="each",
                                max_length=10,
                                verbose_name="email",
                            ),
                        ),
                        ("last_digest_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "notification preference",
                        "verbose_name_plural": "notification preferences",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("email_mode__in", ["each", "digest", "none"])),
                                name="accounts_notificationpreference_mode_valid",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_move(model="notification", old_app="accounts", new_app="notifications"),
        content_type_move(model="notificationpreference", old_app="accounts", new_app="notifications"),
        migrations.AddField(
            model_name="notificationpreference",
            name="muted_kinds",
            field=models.JSONField(blank=True, default=list, verbose_name="kinds never emailed"),
        ),
        migrations.CreateModel(
            name="Subscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                # Plain while the follows are copied (each keeps its moment), auto_now_add below.
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subscriptions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "subscription",
                "verbose_name_plural": "subscriptions",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["content_type", "object_id"], name="notifications_sub_target_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "content_type", "object_id"),
                        name="notifications_subscription_unique_user_target",
                    )
                ],
            },
        ),
        migrations.RunPython(follows_to_subscriptions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscription", name="created_at", field=models.DateTimeField(auto_now_add=True)
        ),
    ]
