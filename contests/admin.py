from django.contrib import admin

from contests.models import Contest


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "is_published", "voting_method", "submission_opens_at", "results_at"]
    list_filter = ["is_published", "voting_method", "agency"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agency"]
