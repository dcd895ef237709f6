"""API pieces shared by the apps: rule-based permission classes and error translation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.exceptions import ValidationError


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
