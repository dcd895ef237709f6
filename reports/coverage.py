"""Coverage: which agency's category covers a point. The one place that decides where a report goes.

Several agencies may offer the same service code for different districts. A point goes to the
category with that code whose area covers it; a category with a drawn area wins over one that
covers everywhere (the district's own service before the city-wide fallback).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports.geo import area_contains
from reports.models import ServiceCategory


def no_agency_error() -> ValidationError:
    return ValidationError(_("No agency covers this place for this kind of problem."), code="no_agency")


def category_route(*, code: str, latitude: float, longitude: float) -> ServiceCategory:
    """The active category with `code` that covers the point, or ValidationError (unknown code; no agency covers it)."""
    candidates = list(ServiceCategory.objects.filter(code=code, is_active=True).select_related("agency"))
    if not candidates:
        raise ValidationError(_("Choose a kind of problem from the list."), code="unknown_category")
    covering = [category for category in candidates if area_contains(category.area, latitude, longitude)]
    if not covering:
        raise no_agency_error()
    covering.sort(key=lambda category: (category.area is None, category.pk))
    return covering[0]


def category_check_covers(*, category: ServiceCategory, latitude: float, longitude: float) -> ServiceCategory:
    """The given category if its agency covers the point; otherwise the error says another agency's category was chosen."""
    if not category.is_active:
        raise ValidationError(_("Choose a kind of problem from the list."), code="unknown_category")
    if area_contains(category.area, latitude, longitude):
        return category
    try:
        routed = category_route(code=category.code, latitude=latitude, longitude=longitude)
    except ValidationError:
        raise no_agency_error() from None
    raise ValidationError(
        _("This category belongs to an agency that does not cover this place; %(agency)s does.")
        % {"agency": routed.agency.name},
        code="other_agency",
    )


def service_codes() -> list[ServiceCategory]:
    """One active category per service code (the first by id): what the public form and Open311 list."""
    seen: dict[str, ServiceCategory] = {}
    for category in ServiceCategory.objects.filter(is_active=True).select_related("agency").order_by("pk"):
        seen.setdefault(category.code, category)
    return sorted(seen.values(), key=lambda category: (category.group, category.name))
