"""Agencies, notifications, preferences and phase-notification records now belong to other apps
(their tables were taken over there); follows were copied into notifications' subscriptions."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_move_tables_to_their_new_apps"),
        ("agencies", "0001_agencies_from_accounts"),
        ("contests", "0002_results_published_at_phase_notifications"),
        ("discussion", "0001_comment_state_blocklist_from_proposals"),
        ("notifications", "0001_notifications_from_accounts"),
        ("proposals", "0006_discussion_and_moderation_leave_proposals"),
    ]

    operations = [
        migrations.DeleteModel(name="Follow"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="agency", name="members"),
                migrations.DeleteModel(name="PhaseNotificationSent"),
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="AgencyMembership"),
                migrations.DeleteModel(name="Agency"),
            ],
            database_operations=[],
        ),
    ]
