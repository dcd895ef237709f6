"""The report timers (beat, reports.tasks): overdue marking, and the follow-up question a week after "fixed".

Both are safe to run twice: a report is claimed with one conditional UPDATE (only rows still
unmarked change), and only the run that claimed it notifies.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agencies.models import AgencyMembership
from agencies.selectors import agency_ancestor_ids
from notifications.services import notification_notify
from reports.models import Report
from reports.notifications import REPORT_FOLLOWUP, REPORT_OVERDUE, report_facts


def _staff_of(report: Report) -> list[User]:
    agency_ids = [report.agency_id, *agency_ancestor_ids(agency=report.agency)]
    members = AgencyMembership.objects.filter(agency_id__in=agency_ids).values("user_id")
    return list(User.objects.filter(pk__in=members, is_active=True))


def reports_overdue_mark(*, now=None, limit: int = 500) -> int:
    """Mark unresolved reports past their due time as overdue and tell their agency's staff; returns how many."""
    now = now or timezone.now()
    candidates = list(
        Report.objects.public()
        .unresolved()
        .filter(due_at__lte=now, overdue_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    marked = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = Report.objects.filter(pk=pk, overdue_at__isnull=True).update(overdue_at=now)
            if not claimed:
                continue  # another run took it
            report = Report.objects.select_related("category", "agency").get(pk=pk)
            notification_notify(
                recipients=_staff_of(report),
                kind=REPORT_OVERDUE.key,
                data=report_facts(report, hours=report.category.response_hours),
                url=report.get_absolute_url(),
            )
            marked += 1
    return marked


def report_followups_send(*, now=None, limit: int = 500) -> int:
    """Ask reporters whether reports fixed a week ago (REPORT_FOLLOWUP_DAYS) really are; returns how many were asked."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_FOLLOWUP_DAYS)
    candidates = list(
        Report.objects.public()
        .filter(
            status=Report.Status.FIXED, fixed_at__lte=cutoff, followup_sent_at__isnull=True, source_client__isnull=True
        )
        .order_by("fixed_at")
        .values_list("pk", flat=True)[:limit]
    )
    asked = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = Report.objects.filter(pk=pk, status=Report.Status.FIXED, followup_sent_at__isnull=True).update(
                followup_sent_at=now
            )
            if not claimed:
                continue
            report = Report.objects.select_related("category", "reporter").get(pk=pk)

            notification_notify(
                recipients=[report.reporter],
                kind=REPORT_FOLLOWUP.key,
                data=report_facts(report),
                url=reverse("reports:followup", kwargs={"pk": report.pk}),
            )
            asked += 1
    return asked
