from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from reports.models import Report
from reports.timers import report_followups_send, reports_overdue_mark
from reports.workflow import report_status_change
from tests.factories import AgencyFactory, MembershipFactory
from tests.reports.helpers import report_make

pytestmark = pytest.mark.django_db


def test_overdue_reports_are_marked_once_and_the_agency_told_once(citizen, category, staff):
    parent_staff = MembershipFactory(agency=AgencyFactory(name="City hall"), role="staff").user
    category.agency.parent = parent_staff.agency_memberships.get().agency
    category.agency.save()
    late = report_make(citizen)
    fresh = report_make(citizen)
    later = timezone.now() + timedelta(hours=category.response_hours + 1)
    Report.objects.filter(pk=fresh.pk).update(due_at=later + timedelta(hours=5))
    assert reports_overdue_mark(now=later) == 1
    assert reports_overdue_mark(now=later) == 0  # the second run finds nothing new
    late.refresh_from_db()
    assert late.overdue_at is not None
    assert Notification.objects.filter(kind="report_overdue", recipient=staff).count() == 1
    assert Notification.objects.filter(kind="report_overdue", recipient=parent_staff).count() == 1
    assert Notification.objects.filter(kind="report_overdue").count() == 2


def test_resolved_reports_are_never_overdue(citizen, category, staff):
    report = report_make(citizen)
    report_status_change(report=report, author=staff, status="fixed")
    assert reports_overdue_mark(now=timezone.now() + timedelta(days=30)) == 0


def test_the_follow_up_question_is_asked_once_a_week_after_fixed_and_no_reopens(client, citizen, category, staff):
    report = report_make(citizen)
    report_status_change(report=report, author=staff, status="fixed", note="Done.")
    assert report_followups_send(now=timezone.now() + timedelta(days=6)) == 0
    week_later = timezone.now() + timedelta(days=7, minutes=1)
    assert report_followups_send(now=week_later) == 1
    assert report_followups_send(now=week_later) == 0
    question = Notification.objects.get(kind="report_followup", recipient=citizen)
    assert question.url == reverse("reports:followup", args=[report.pk])
    client.force_login(staff)
    assert client.get(question.url).status_code == 404  # only the reporter answers
    client.force_login(citizen)
    assert "Is it really fixed?" in client.get(report.get_absolute_url()).content.decode()
    response = client.post(question.url, {"is_fixed": "no", "note": "Still dark at night."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "open" and report.fixed_at is None
    assert report.updates.last().note == "Still dark at night."
    assert client.post(question.url, {"is_fixed": "yes"}).status_code == 400  # no question is waiting now


def test_a_yes_keeps_the_report_fixed(client, citizen, category, staff):
    report = report_make(citizen)
    report_status_change(report=report, author=staff, status="fixed")
    report_followups_send(now=timezone.now() + timedelta(days=8))
    client.force_login(citizen)
    client.post(reverse("reports:followup", args=[report.pk]), {"is_fixed": "yes"})
    report.refresh_from_db()
    assert report.status == "fixed" and report.followup_answered_at is not None


def test_the_beat_schedule_runs_both_timers(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.tasks.reports_overdue_mark", "reports.tasks.report_followups_send"} <= tasks
    from config.celery import app

    app.loader.import_default_modules()
    assert "reports.tasks.reports_overdue_mark" in app.tasks
