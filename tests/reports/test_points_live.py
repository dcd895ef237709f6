import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from engagement.models import PointsEntry
from live.publisher import publisher
from reports.accountability import agency_report_figures
from reports.models import Report
from reports.workflow import report_merge, report_status_change
from tests.factories import MembershipFactory, UserFactory
from tests.reports.helpers import CENTRE, category_make, report_make

ORIGIN = [(b"origin", b"http://127.0.0.1")]


def _points(user) -> dict[str, int]:
    return {entry.action: entry.points for entry in PointsEntry.objects.active_awards().filter(user=user)}


@pytest.mark.django_db
def test_points_when_acknowledged_and_fixed_and_none_when_rejected(citizen, category, staff):
    report = report_make(citizen)
    assert _points(citizen) == {}
    report_status_change(report=report, author=staff, status="acknowledged")
    assert _points(citizen) == {"report_acknowledged": 5}
    report_status_change(report=report, author=staff, status="fixed")
    assert _points(citizen) == {"report_acknowledged": 5, "report_fixed": 10}
    rejected = report_make(citizen)
    report_status_change(
        report=rejected, author=staff, status="closed", close_reason="cannot_fix", rejection_reason="not_public"
    )
    assert PointsEntry.objects.filter(object_id=rejected.pk).count() == 0


@pytest.mark.django_db
def test_points_are_capped_per_day(citizen, category, staff):
    for _ in range(7):
        report_status_change(report=report_make(citizen), author=staff, status="acknowledged")
    assert PointsEntry.objects.active_awards().filter(user=citizen, action="report_acknowledged").count() == 5


@pytest.mark.django_db
def test_a_merged_duplicate_gives_its_points_up(citizen, category, staff):
    target = report_make(citizen)
    other = UserFactory()
    source = report_make(other, point=(CENTRE[0] + 0.0001, CENTRE[1]))
    report_status_change(report=source, author=staff, status="acknowledged")
    assert _points(other) == {"report_acknowledged": 5}
    report_merge(source=source, target=target, author=staff)
    assert _points(other) == {}


@pytest.mark.django_db
def test_accountability_figures_on_the_agency_page(client, citizen, category, staff):
    quick, slow, _open = report_make(citizen), report_make(citizen), report_make(citizen)
    report_status_change(report=quick, author=staff, status="fixed")
    report_status_change(report=slow, author=staff, status="fixed")
    now = timezone.now()
    Report.objects.filter(pk=quick.pk).update(created_at=now - timedelta(hours=2), fixed_at=now)
    Report.objects.filter(pk=slow.pk).update(
        created_at=now - timedelta(hours=200), fixed_at=now, due_at=now - timedelta(hours=128)
    )
    figures = agency_report_figures(agency=category.agency)
    assert (figures.received, figures.fixed, figures.median_hours_to_fix) == (3, 2, 101.0)
    assert figures.fixed_within_target_share == 0.5
    page = client.get(
        reverse("proposals:accountability_agency", kwargs={"slug": category.agency.slug})
    ).content.decode()
    assert "Reports received" in page and "101.0 hours" in page and "50 %" in page


@database_sync_to_async
def _setup():
    from agencies.models import Agency

    agency = Agency.objects.create(name="Roads", slug="roads")
    category_make(agency)
    staff = MembershipFactory(agency=agency, role="staff").user
    return agency, staff, UserFactory()


@database_sync_to_async
def _report(user):
    return report_make(user)


async def _receive(communicator, timeout=3):
    return json.loads(await communicator.receive_from(timeout=timeout))


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_map_and_the_queue_hear_of_a_new_report():
    agency, staff, citizen = await _setup()
    map_socket = WebsocketCommunicator(application, "/ws/reports/map/", headers=ORIGIN)
    assert (await map_socket.connect())[0]
    first = await _receive(map_socket)
    assert first["type"] == "reports" and first["counts"]["open"] == 0
    await _report(citizen)
    pushed = await _receive(map_socket)
    assert pushed["version"] > first["version"] and pushed["counts"]["open"] == 1
    await map_socket.disconnect()
    publisher.wait_idle(timeout=3)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_queue_socket_is_refused_to_non_staff():
    agency, staff, citizen = await _setup()
    anonymous = WebsocketCommunicator(application, f"/ws/reports/queue/{agency.slug}/", headers=ORIGIN)
    connected, code = await anonymous.connect()
    assert not connected or code == 4404
    await anonymous.disconnect()
