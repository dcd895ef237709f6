"""Comment states, blocklists and reports now live in discussion and moderation; discussion follows
and comment email preferences become notifications' subscriptions and muted kinds (rows copied,
old tables dropped); official answers point at agencies' new app."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COMMENT_KINDS = ["comment_posted", "comment_reply"]


def discussion_follows_to_subscriptions(apps, schema_editor):
    """Discussion follows, and comments posted with "notify me", become subscriptions to the discussed target."""
    DiscussionFollow = apps.get_model("proposals", "DiscussionFollow")
    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    Subscription = apps.get_model("notifications", "Subscription")
    # Keep each follow's own moment: this historical model is a throwaway class, so switching off
    # auto_now_add here changes nothing outside this migration.
    Subscription._meta.get_field("created_at").auto_now_add = False
    rows = [
        Subscription(
            user_id=follow.user_id,
            content_type_id=follow.content_type_id,
            object_id=int(follow.object_pk),
            created_at=follow.created_at,
        )
        for follow in DiscussionFollow.objects.all().iterator()
        if str(follow.object_pk).isdigit()
    ]
    following_commenters = XtdComment.objects.filter(
        followup=True, is_public=True, is_removed=False, user_id__isnull=False
    ).values_list("user_id", "content_type_id", "object_pk", "submit_date")
    rows += [
        Subscription(user_id=user_id, content_type_id=content_type_id, object_id=int(object_pk), created_at=submitted)
        for user_id, content_type_id, object_pk, submitted in following_commenters.iterator()
        if str(object_pk).isdigit()
    ]
    Subscription.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def comment_email_opt_outs_to_muted_kinds(apps, schema_editor):
    CommentNotificationPreference = apps.get_model("proposals", "CommentNotificationPreference")
    NotificationPreference = apps.get_model("notifications", "NotificationPreference")
    for user_id in CommentNotificationPreference.objects.filter(email_on_comments=False).values_list(
        "user_id", flat=True
    ):
        preference, _created = NotificationPreference.objects.get_or_create(user_id=user_id)
        preference.muted_kinds = sorted(set(preference.muted_kinds or []) | set(COMMENT_KINDS))
        preference.save(update_fields=["muted_kinds"])


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_agencies_from_accounts"),
        ("discussion", "0001_comment_state_blocklist_from_proposals"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
        ("moderation", "0001_reports_from_proposals"),
        ("notifications", "0001_notifications_from_accounts"),
        ("proposals", "0005_move_tables_to_their_new_apps"),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposalstatuschange",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="responses", to="agencies.agency"
            ),
        ),
        migrations.RunPython(discussion_follows_to_subscriptions, migrations.RunPython.noop),
        migrations.RunPython(comment_email_opt_outs_to_muted_kinds, migrations.RunPython.noop),
        migrations.DeleteModel(name="DiscussionFollow"),
        migrations.DeleteModel(name="CommentNotificationPreference"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CommentState"),
                migrations.DeleteModel(name="CommentBlocklist"),
                migrations.DeleteModel(name="ModerationReport"),
            ],
            database_operations=[],
        ),
    ]
