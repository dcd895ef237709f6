import pytest
from django.core.exceptions import ValidationError

from agencies.rules import is_agency_member_or_overseer
from reports.coverage import category_check_covers, category_route
from reports.geo import area_check, area_contains, haversine_m, point_check
from tests.factories import AgencyFactory, MembershipFactory
from tests.reports.helpers import AREA, CENTRE, OUTSIDE, category_make

pytestmark = pytest.mark.django_db


def test_point_in_polygon_with_a_hole_and_no_area_covering_everywhere():
    holed = {
        "type": "Polygon",
        "coordinates": [
            *AREA["coordinates"],
            [[121.46, 31.22], [121.48, 31.22], [121.48, 31.24], [121.46, 31.24], [121.46, 31.22]],
        ],
    }
    assert area_contains(AREA, *CENTRE)
    assert not area_contains(holed, *CENTRE)
    assert not area_contains(AREA, *OUTSIDE)
    assert area_contains(None, *OUTSIDE)


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        "x",
    ],
)
def test_invalid_areas_are_refused(bad):
    with pytest.raises(ValidationError):
        area_check(bad)


@pytest.mark.parametrize(
    ("lat", "lng"), [(91, 0), (-90.5, 0), (0, 180.1), (0, -181), ("nan", 0), ("north", 1), (None, 2)]
)
def test_points_off_the_earth_are_refused(lat, lng):
    with pytest.raises(ValidationError):
        point_check(lat, lng)


def test_haversine_matches_a_known_distance():
    # One degree of latitude is about 111.2 km.
    assert abs(haversine_m(0, 0, 1, 0) - 111_195) < 10


def test_a_point_goes_to_the_district_before_the_citywide_fallback(agency, other_agency):
    citywide = category_make(other_agency, area=None)
    district = category_make(agency)
    assert category_route(code="streetlight", latitude=CENTRE[0], longitude=CENTRE[1]) == district
    assert category_route(code="streetlight", latitude=OUTSIDE[0], longitude=OUTSIDE[1]) == citywide


def test_no_agency_covers_a_point_outside_every_area(category):
    with pytest.raises(ValidationError, match="No agency covers this place"):
        category_route(code="streetlight", latitude=OUTSIDE[0], longitude=OUTSIDE[1])


def test_a_category_of_another_agency_is_refused(agency, other_agency):
    category_make(agency)
    far = category_make(
        other_agency, area={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    )
    with pytest.raises(ValidationError, match="does not cover this place; City Water does"):
        category_check_covers(category=far, latitude=CENTRE[0], longitude=CENTRE[1])


def test_a_parent_agency_oversees_its_sub_agencies_but_not_the_reverse():
    city = AgencyFactory(name="City")
    district = AgencyFactory(name="District", parent=city)
    street = AgencyFactory(name="Street office", parent=district)
    city_staff = MembershipFactory(agency=city, role="staff").user
    street_staff = MembershipFactory(agency=street, role="staff").user
    assert is_agency_member_or_overseer(city_staff, street)
    assert not is_agency_member_or_overseer(street_staff, city)
