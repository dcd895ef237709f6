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


def agency_descendant_ids(*, agency_ids) -> set[int]:
    """The given agencies and every sub-agency below them (one query per level of the hierarchy)."""
    found = set(agency_ids)
    frontier = set(found)
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def agency_ancestor_ids(*, agency: Agency) -> list[int]:
    """The agency's parent, grandparent, …: the agencies that oversee it (a loop in the data stops the walk)."""
    ancestors: list[int] = []
    parent_id = agency.parent_id
    while parent_id is not None and parent_id not in ancestors and parent_id != agency.pk:
        ancestors.append(parent_id)
        parent_id = Agency.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ancestors
