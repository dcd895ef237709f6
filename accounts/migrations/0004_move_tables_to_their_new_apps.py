"""Rename the tables of the models leaving accounts to their new apps' names, rows kept.

First step of a move: the tables get their new names here, while accounts still owns the
models, so the database and Django's picture of it agree at every step, forwards and back.
The new apps then take the models over (agencies.0001, notifications.0001, contests.0002)
and accounts.0005 lets go of them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_follows_preferences_phase_notifications"),
    ]

    operations = [
        migrations.AlterModelTable(name="agency", table="agencies_agency"),
        migrations.AlterModelTable(name="agencymembership", table="agencies_agencymembership"),
        migrations.AlterModelTable(name="notification", table="notifications_notification"),
        migrations.AlterModelTable(name="notificationpreference", table="notifications_notificationpreference"),
        migrations.AlterModelTable(name="phasenotificationsent", table="contests_phasenotificationsent"),
    ]
