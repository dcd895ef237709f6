"""Geometry of reports: valid points, areas (GeoJSON) that contain them, distances, bounding boxes.

Areas are GeoJSON Polygon or MultiPolygon geometries in [longitude, latitude] order, tested with
shapely (point-in-polygon with holes and multipolygons done right). Distances are great-circle
(haversine) on a sphere of the Earth's mean radius; at 50 m the error against the ellipsoid is
well under a metre.
"""

import json
import math
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import prep

EARTH_RADIUS_M = 6_371_008.8
AREA_TYPES = ("Polygon", "MultiPolygon")


def point_check(latitude, longitude) -> tuple[float, float]:
    """(latitude, longitude) as floats, or ValidationError when they are not a point on Earth."""
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Give the place as a latitude and a longitude.")) from error
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ValidationError(_("Give the place as a latitude and a longitude."))
    if not -90 <= lat <= 90:
        raise ValidationError(_("The latitude must be between −90 and 90."))
    if not -180 <= lng <= 180:
        raise ValidationError(_("The longitude must be between −180 and 180."))
    return lat, lng


def area_check(area) -> dict | None:
    """A GeoJSON area as stored (None = everywhere), or ValidationError when it is not a valid polygon."""
    if area in (None, "", {}):
        return None
    if isinstance(area, dict) and area.get("type") == "Feature":
        area = area.get("geometry")
    if not isinstance(area, dict) or area.get("type") not in AREA_TYPES:
        raise ValidationError(_("The area must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geometry = shape(area)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise ValidationError(_("The area must be a GeoJSON Polygon or MultiPolygon.")) from error
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(_("The area's outline crosses itself or is empty."))
    return area


@lru_cache(maxsize=512)
def _prepared(area_json: str):
    return prep(shape(json.loads(area_json)))


def area_contains(area: dict | None, latitude: float, longitude: float) -> bool:
    """Whether the area covers the point; no area covers everywhere. Boundary points count as inside."""
    if not area:
        return True
    prepared = _prepared(json.dumps(area, sort_keys=True))
    return prepared.covers(Point(longitude, latitude))


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(latitude: float, longitude: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box holding every point within `radius_m` (clamped at the poles)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(latitude)), 1e-6)
    dlng = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
    return (
        max(-90.0, latitude - dlat),
        max(-180.0, longitude - dlng),
        min(90.0, latitude + dlat),
        min(180.0, longitude + dlng),
    )
