"""Reads for citizen reports: nearby duplicates, the map's GeoJSON, lists, the staff queue, a report's page.

Nearby search is FixMyStreet's: an indexed bounding box on (latitude, longitude) narrows the rows,
then the great-circle (haversine) distance computed in SQL keeps those within the radius and orders
them. Django provides the trigonometric functions on SQLite too, so both databases run the same query.
"""

from django.db.models import Case, ExpressionWrapper, F, FloatField, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.models import Agency
from agencies.selectors import agency_descendant_ids
from reports.geo import EARTH_RADIUS_M, bounding_box
from reports.models import Report, ReportPhoto, ReportUpdate

DUPLICATE_RADIUS_M = 50
MAP_LIMIT = 5000


def _distance_expression(latitude: float, longitude: float):
    """Haversine distance in metres from the point to each row, as an SQL expression."""
    lat0, lng0 = Radians(Value(latitude)), Radians(Value(longitude))
    lat, lng = Radians(F("latitude")), Radians(F("longitude"))
    half_dlat = (lat - lat0) / Value(2.0)
    half_dlng = (lng - lng0) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Cos(lat0) * Cos(lat) * Power(Sin(half_dlng), 2)
    return ExpressionWrapper(Value(2.0 * EARTH_RADIUS_M) * ASin(Least(Value(1.0), Sqrt(a))), output_field=FloatField())


def reports_nearby(
    *, latitude: float, longitude: float, radius_m: float = DUPLICATE_RADIUS_M, category_code: str = "", limit: int = 10
) -> QuerySet[Report]:
    """Unresolved public reports within `radius_m` of the point (of one service code if given), nearest first.

    Each carries `distance_m`. The bounding box uses the (latitude, longitude) index; the haversine
    filter then drops the box's corners.
    """
    south, west, north, east = bounding_box(latitude, longitude, radius_m)
    reports = (
        Report.objects.public()
        .unresolved()
        .filter(latitude__range=(south, north), longitude__range=(west, east))
        .annotate(distance_m=_distance_expression(latitude, longitude))
        .filter(distance_m__lte=radius_m)
        .select_related("category")
        .order_by("distance_m", "pk")
    )
    if category_code:
        reports = reports.filter(category__code=category_code)
    return reports[:limit]


def _filtered(reports: QuerySet, *, status: str = "", category_code: str = "") -> QuerySet:
    if status == "unresolved":
        reports = reports.unresolved()
    elif status in Report.Status.values:
        reports = reports.filter(status=status)
    if category_code:
        reports = reports.filter(category__code=category_code)
    return reports


def reports_in_box(
    *,
    south: float,
    west: float,
    north: float,
    east: float,
    status: str = "",
    category_code: str = "",
    limit: int = MAP_LIMIT,
) -> list[dict]:
    """The map's points in a bounding box: plain rows (no model instances), newest first, at most `limit`."""
    reports = Report.objects.public().filter(latitude__range=(south, north), longitude__range=(west, east))
    reports = _filtered(reports, status=status, category_code=category_code)
    # Newest first by primary key (the order of creation) rather than by created_at: no sort of the box's rows.
    return list(
        reports.order_by("-pk").values(
            "pk", "latitude", "longitude", "status", "me_too_count", "category__name", "category__code"
        )[:limit]
    )


def reports_geojson(rows: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of map rows (reports_in_box)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {
                    "id": row["pk"],
                    "status": row["status"],
                    "category": row["category__name"],
                    "service_code": row["category__code"],
                    "me_too": row["me_too_count"],
                    "url": f"/reports/{row['pk']}/",
                },
            }
            for row in rows
        ],
    }


def report_list(*, status: str = "", category_code: str = "") -> QuerySet[Report]:
    """The public list (the map without JavaScript), newest first, with what each row shows."""
    return (
        _filtered(Report.objects.public(), status=status, category_code=category_code)
        .select_related("category", "agency")
        .order_by("-created_at", "-pk")
    )


def report_for_page(*, pk: int) -> Report:
    """A report with its photos, timeline and agency loaded; 404 if unknown. Merged reports are returned too (the view redirects)."""
    return get_object_or_404(
        Report.objects.select_related("category", "agency", "reporter", "passed_to", "assigned_to").prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk")),
            Prefetch("updates", queryset=ReportUpdate.objects.select_related("author").order_by("created_at", "pk")),
        ),
        pk=pk,
    )


def report_queue(*, agency: Agency, status: str = "", assigned_to=None) -> QuerySet[Report]:
    """The staff queue of an agency and its sub-agencies: unresolved first, overdue first, then by due time."""
    agency_ids = agency_descendant_ids(agency_ids={agency.pk})
    reports = Report.objects.public().filter(agency_id__in=agency_ids)
    reports = _filtered(reports, status=status or "unresolved")
    if assigned_to is not None:
        reports = reports.filter(assigned_to=assigned_to)
    now = timezone.now()
    return (
        reports.annotate(
            is_overdue=Case(
                When(Q(status__in=Report.UNRESOLVED) & Q(due_at__lte=now), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("category", "agency", "assigned_to", "reporter")
        .order_by("-is_overdue", "due_at", "pk")
    )
