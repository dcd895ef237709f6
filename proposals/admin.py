from django.contrib import admin

from proposals.models import (
    CoAuthorInvitation,
    Proposal,
    ProposalAttachment,
    ProposalCoAuthor,
    ProposalRevision,
    ProposalStatusChange,
)


class CoAuthorInline(admin.TabularInline):
    model = ProposalCoAuthor
    autocomplete_fields = ["user"]
    extra = 0


class AttachmentInline(admin.TabularInline):
    """Attachments are added through the site (checked and re-encoded there), never here."""

    model = ProposalAttachment
    fields = ["original_name", "kind", "content_type", "size", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = ProposalRevision
    fields = ["created_at", "editor", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "contest", "author", "status", "is_hidden", "submitted_at"]
    list_filter = ["status", "is_hidden", "contest"]
    search_fields = ["title", "summary"]
    list_select_related = ["contest", "author"]
    autocomplete_fields = ["author", "merged_into"]
    raw_id_fields = ["contest", "category"]
    readonly_fields = ["created_at", "updated_at", "submitted_at"]
    inlines = [CoAuthorInline, AttachmentInline, RevisionInline]


@admin.register(ProposalRevision)
class ProposalRevisionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "editor", "created_at"]
    list_select_related = ["proposal", "editor"]
    readonly_fields = ["proposal", "editor", "title", "summary", "body", "category", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CoAuthorInvitation)
class CoAuthorInvitationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["proposal", "invited_by"]
    readonly_fields = ["token", "accepted_by", "accepted_at", "created_at"]
    raw_id_fields = ["proposal", "invited_by"]


@admin.register(ProposalStatusChange)
class ProposalStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["proposal", "status", "agency", "responded_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["proposal", "agency", "responded_by"]
    raw_id_fields = ["proposal", "responded_by"]
