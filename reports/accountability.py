"""Accountability figures of citizen reports per agency: received, median time to fix, share fixed within target."""

import statistics
from dataclasses import dataclass

from agencies.models import Agency
from reports.models import Report


@dataclass(frozen=True)
class ReportFigures:
    received: int
    fixed: int
    median_hours_to_fix: float | None  # None until something is fixed
    fixed_within_target_share: float | None  # 0..1 of the fixed reports; None until something is fixed
    overdue_open: int


def agency_report_figures(*, agency: Agency) -> ReportFigures:
    """Figures over the reports routed to the agency (merged duplicates not counted); two queries."""
    reports = Report.objects.public().filter(agency=agency)
    rows = list(reports.values_list("created_at", "fixed_at", "due_at", "status", "overdue_at"))
    durations, within = [], 0
    for created_at, fixed_at, due_at, status, _overdue in rows:
        if status == Report.Status.FIXED and fixed_at is not None:
            durations.append((fixed_at - created_at).total_seconds() / 3600)
            within += fixed_at <= due_at
    overdue_open = sum(1 for row in rows if row[3] in Report.UNRESOLVED and row[4] is not None)
    return ReportFigures(
        received=len(rows),
        fixed=len(durations),
        median_hours_to_fix=round(statistics.median(durations), 1) if durations else None,
        fixed_within_target_share=within / len(durations) if durations else None,
        overdue_open=overdue_open,
    )
