from django.contrib import admin

from moderation.models import ModerationReport


@admin.register(ModerationReport)
class ModerationReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "content_type", "object_id", "contest", "resolution", "created_at"]
    list_filter = ["resolution"]
    raw_id_fields = ["contest", "reporter", "resolved_by"]
