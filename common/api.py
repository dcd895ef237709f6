"""API pieces shared by the apps: rule-based permission classes and error translation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import ScopedRateThrottle


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


class WriteRateThrottle(ScopedRateThrottle):
    """The view's `throttle_scope` rate, per account (or per IP when anonymous), on unsafe methods only."""

    def allow_request(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class WriteRateThrottlePerIP(WriteRateThrottle):
    """The same rate per client IP, so many accounts behind one address cannot multiply it."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}-ip", "ident": self.get_ident(request)}
