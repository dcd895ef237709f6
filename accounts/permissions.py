"""Fetch-and-authorise helpers for views: one place that turns a failed rule into a 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Agency


def agency_for_action(*, user, slug: str, permission: str) -> Agency:
    """The agency with this slug if `user` holds `permission` on it; 404 if unknown, 403 if not allowed."""
    agency = get_object_or_404(Agency, slug=slug)
    if not user.has_perm(permission, agency):
        raise PermissionDenied
    return agency
