from django.contrib import admin, messages

from reports.models import Open311Client, Report, ReportPhoto, ReportUpdate, ServiceCategory
from reports.services import open311_client_create


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "agency", "group", "response_hours", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name", "code", "keywords"]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    readonly_fields = ["image", "width", "height"]


class ReportUpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    readonly_fields = ["author", "status", "previous_status", "close_reason", "note", "created_at"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "category", "agency", "status", "me_too_count", "created_at", "due_at"]
    list_filter = ["status", "agency"]
    raw_id_fields = ["reporter", "assigned_to", "merged_into"]
    readonly_fields = ["me_too_count"]
    inlines = [ReportPhotoInline, ReportUpdateInline]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """A new client's API key is shown once, in the message after saving; only its digest is stored."""

    list_display = ["name", "user", "is_active", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["key_digest"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, key = open311_client_create(name=obj.name, user=obj.user)
        obj.pk = client.pk
        messages.warning(request, f"API key for {client.name} (shown once): {key}")
        return None
