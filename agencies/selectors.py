"""Reads for agencies, shaped for their pages, and the fetch-and-authorise helper of agency views."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from agencies.models import Agency, AgencyMembership


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.annotate(
        published_contest_count=Count("contests", filter=Q(contests__is_published=True))
    ).order_by("name")


def agency_members(*, agency: Agency) -> QuerySet[AgencyMembership]:
    return agency.memberships.select_related("user").order_by("role", "user__display_name")


def user_memberships(*, user: User) -> QuerySet[AgencyMembership]:
    return AgencyMembership.objects.filter(user=user).select_related("agency").order_by("agency__name")


def agency_for_action(*, user, slug: str, permission: str) -> Agency:
    """The agency with this slug if `user` holds `permission` on it; 404 if unknown, 403 if not allowed."""
    agency = get_object_or_404(Agency, slug=slug)
    if not user.has_perm(permission, agency):
        raise PermissionDenied
    return agency
