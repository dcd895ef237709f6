"""Agencies and memberships move from accounts to this app (their tables were renamed by accounts.0004)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from common.migrations_support import content_type_move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_move_tables_to_their_new_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Agency",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                        ("description", models.TextField(blank=True, max_length=5000, verbose_name="description")),
                        ("logo", models.ImageField(blank=True, upload_to="agencies/logos/", verbose_name="logo")),
                        ("website", models.URLField(blank=True, verbose_name="website")),
                    ],
                    options={
                        "verbose_name": "agency",
                        "verbose_name_plural": "agencies",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="AgencyMembership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "role",
                            models.CharField(
                                choices=[("admin", "Administrator"), ("manager", "Manager")],
                                max_length=20,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="agency_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "agency membership",
                        "verbose_name_plural": "agency memberships",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("agency", "user"), name="accounts_membership_unique_agency_user"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("role__in", ["admin", "manager"])),
                                name="accounts_membership_role_valid",
                            ),
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="agency",
                    name="members",
                    field=models.ManyToManyField(
                        related_name="agencies", through="agencies.AgencyMembership", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            database_operations=[],
        ),
        content_type_move(model="agency", old_app="accounts", new_app="agencies"),
        content_type_move(model="agencymembership", old_app="accounts", new_app="agencies"),
    ]
