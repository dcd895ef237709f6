from django.contrib import admin

from agencies.models import Agency, AgencyMembership


class AgencyMembershipInline(admin.TabularInline):
    model = AgencyMembership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "website", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgencyMembershipInline]


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ["agency", "user", "role", "created_at"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["agency", "user"]
