"""API pieces shared by the apps: rule-based permission classes and error translation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import BaseThrottle

from common.ratelimit import rate_limit_wait


class HasRulePermission(permissions.BasePermission):
    """Allow safe methods to everyone; require a django-rules permission (no object) to create."""

    create_permission = ""

    @classmethod
    def for_create(cls, permission: str) -> type["HasRulePermission"]:
        return type(f"Has_{permission.replace('.', '_')}", (cls,), {"create_permission": permission})

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.has_perm(self.create_permission))


def raise_drf_validation_error(error: DjangoValidationError):
    """Re-raise a service's Django ValidationError as a 400 in the API's error shape."""
    if hasattr(error, "error_dict"):
        raise ValidationError(error.message_dict) from error
    raise ValidationError({"detail": " ".join(error.messages)}) from error


class WriteRateThrottle(BaseThrottle):
    """The view's `throttle_scope` rate (default "write") per account and per client IP, on unsafe methods only.

    Counted by common.ratelimit, the same engine as the form views, so a write costs the
    same budget whichever way it comes.
    """

    def allow_request(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        self.retry_after = rate_limit_wait(request, getattr(view, "throttle_scope", "write"))
        return self.retry_after is None

    def wait(self):
        return self.retry_after
