"""Reads for accounts and agencies, shaped for their pages."""

from django.db.models import Count, Q, QuerySet

from accounts.models import Agency, AgencyMembership, User


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.annotate(
        published_contest_count=Count("contests", filter=Q(contests__is_published=True))
    ).order_by("name")


def agency_members(*, agency: Agency) -> QuerySet[AgencyMembership]:
    return agency.memberships.select_related("user").order_by("role", "user__display_name")


def user_memberships(*, user: User) -> QuerySet[AgencyMembership]:
    return AgencyMembership.objects.filter(user=user).select_related("agency").order_by("agency__name")
