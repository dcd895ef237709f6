from django.contrib import admin

from engagement.models import BadgeAward, EngagementPreference, PointsEntry


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only and written by engagement.services alone."""

    list_display = ["created_at", "user", "action", "points", "contest", "reason"]
    list_filter = ["action"]
    list_select_related = ["user", "contest"]
    search_fields = ["user__display_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    list_display = ["awarded_at", "user", "badge"]
    list_filter = ["badge"]
    list_select_related = ["user"]


admin.site.register(EngagementPreference)
