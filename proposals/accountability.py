"""Accountability figures: does the government answer, and how fast? (selectors for the public pages)

Counted: the public proposals (submitted, not withdrawn, hidden or merged away) of
published contests. Per proposal, the first official answer is the earliest status
change to anything but "submitted" (an acknowledgement is not an answer).

- response rate = answered proposals / public proposals, in percent;
- time to an official answer = first answer − submission (never negative);
  median: the middle value, or the mean of the two middle values for an even count;
  90th percentile: nearest rank, the ⌈0.9·n⌉-th smallest delay (an observed delay);
- adopted = proposals now "adopted" or "implemented" (implemented ones were adopted
  first, or were winners the agency carried out); implemented = now "implemented".

Each selector reads one row per proposal in a single query and computes in Python,
so the figures are the same on SQLite and PostgreSQL and pages cost a constant number
of queries whatever the amount of data.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Min, Q
from django.utils import timezone

from agencies.models import Agency
from proposals.models import Proposal

Status = Proposal.Status
ADOPTED_STATUSES = frozenset({Status.ADOPTED, Status.IMPLEMENTED})
CHART_MONTHS = 12


def percentile_nearest_rank(values: list[float], percent: float) -> float | None:
    """The ⌈p/100·n⌉-th smallest value (nearest-rank percentile), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class AccountabilityFigures:
    proposal_count: int
    answered_count: int
    median_response_time: timedelta | None
    p90_response_time: timedelta | None = None
    adopted_count: int = 0
    implemented_count: int = 0

    @property
    def response_rate(self) -> float | None:
        """Answered share in percent (0–100), None without public proposals."""
        if not self.proposal_count:
            return None
        return 100 * self.answered_count / self.proposal_count

    @property
    def median_response_days(self) -> float | None:
        return None if self.median_response_time is None else self.median_response_time.total_seconds() / 86400

    @property
    def p90_response_days(self) -> float | None:
        return None if self.p90_response_time is None else self.p90_response_time.total_seconds() / 86400


@dataclass(frozen=True)
class Row:
    agency_id: int
    submitted_at: datetime | None
    first_answer_at: datetime | None
    status: str


def _rows(agency: Agency | None = None) -> list[Row]:
    proposals = Proposal.objects.public().filter(contest__is_published=True)
    if agency is not None:
        proposals = proposals.filter(contest__agency=agency)
    values = proposals.annotate(
        first_answer_at=Min("status_changes__created_at", filter=~Q(status_changes__status=Status.SUBMITTED))
    ).values_list("contest__agency_id", "submitted_at", "first_answer_at", "status")
    return [Row(*value) for value in values]


def accountability_figures(rows: list[Row]) -> AccountabilityFigures:
    """The figures for a list of proposal rows (pure; see the module docstring for the definitions)."""
    answered = [row for row in rows if row.first_answer_at is not None]
    delays = [
        max((row.first_answer_at - row.submitted_at).total_seconds(), 0.0)
        for row in answered
        if row.submitted_at is not None
    ]
    median = timedelta(seconds=statistics.median(delays)) if delays else None
    p90 = percentile_nearest_rank(delays, 90)
    return AccountabilityFigures(
        proposal_count=len(rows),
        answered_count=len(answered),
        median_response_time=median,
        p90_response_time=timedelta(seconds=p90) if p90 is not None else None,
        adopted_count=sum(1 for row in rows if row.status in ADOPTED_STATUSES),
        implemented_count=sum(1 for row in rows if row.status == Status.IMPLEMENTED),
    )


def agency_accountability(*, agency: Agency) -> AccountabilityFigures:
    """The agency's figures (one query)."""
    return accountability_figures(_rows(agency))


# --- charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    url: str = ""


@dataclass(frozen=True)
class BarChart:
    """A bar chart laid out on the server: the template draws the SVG rects from these numbers."""

    title: str
    description: str
    bars: list[Bar]
    max_value: float
    width: int = 640
    height: int = 240
    plot_top: int = 20
    plot_bottom: int = 200
    plot_left: int = 40
    gridlines: list[dict] = field(default_factory=list)


def bar_chart(
    *, title: str, description: str, bars: list[Bar], max_value: float | None = None, width: int = 640
) -> BarChart:
    """Lay bars out left to right, heights proportional to value (0 at the baseline)."""
    top, bottom, left, right = 20, 200, 40, 10
    if max_value is None:
        # Counts: round the top up to a multiple of 4 so the five gridlines fall on whole numbers.
        max_value = 4 * math.ceil(max([bar.value for bar in bars] + [1]) / 4)
    highest = max_value or 1
    slot = (width - left - right) / max(len(bars), 1)
    laid_out = []
    for index, bar in enumerate(bars):
        height = (bottom - top) * bar.value / highest
        laid_out.append(
            Bar(
                label=bar.label,
                value=bar.value,
                display=bar.display,
                url=bar.url,
                x=round(left + index * slot + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                y=round(bottom - height, 1),
                height=round(height, 1),
            )
        )
    gridlines = [
        {"y": round(bottom - (bottom - top) * step / 4, 1), "label": _round_label(highest * step / 4)}
        for step in range(5)
    ]
    return BarChart(
        title=title,
        description=description,
        bars=laid_out,
        max_value=highest,
        width=width,
        plot_left=left,
        gridlines=gridlines,
    )


def _round_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _month_starts(now: datetime, count: int) -> list[date]:
    local = timezone.localtime(now).date().replace(day=1)
    months = []
    year, month = local.year, local.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def monthly_first_answers(rows: list[Row], *, now: datetime, months: int = CHART_MONTHS) -> list[tuple[date, int]]:
    """(first day of month, proposals that got their first official answer that month), oldest first."""
    starts = _month_starts(now, months)
    counts = dict.fromkeys(starts, 0)
    for row in rows:
        if row.first_answer_at is None:
            continue
        month = timezone.localtime(row.first_answer_at).date().replace(day=1)
        if month in counts:
            counts[month] += 1
    return list(counts.items())


# --- page selectors --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyAccountabilityReport:
    agency: Agency
    figures: AccountabilityFigures
    monthly: list[tuple[date, int]]


def agency_accountability_report(*, agency: Agency, now: datetime | None = None) -> AgencyAccountabilityReport:
    """Figures and first answers per month (last 12 months) for one agency (one query)."""
    rows = _rows(agency)
    return AgencyAccountabilityReport(
        agency=agency,
        figures=accountability_figures(rows),
        monthly=monthly_first_answers(rows, now=now or timezone.now()),
    )


@dataclass(frozen=True)
class SiteAccountabilityReport:
    figures: AccountabilityFigures
    agencies: list[tuple[Agency, AccountabilityFigures]]
    monthly: list[tuple[date, int]]


def site_accountability_report(*, now: datetime | None = None) -> SiteAccountabilityReport:
    """Site-wide figures, each agency's figures (agencies with public proposals, by name), per month (two queries)."""
    rows = _rows()
    by_agency: dict[int, list[Row]] = {}
    for row in rows:
        by_agency.setdefault(row.agency_id, []).append(row)
    agencies = Agency.objects.filter(pk__in=by_agency.keys()).order_by("name")
    return SiteAccountabilityReport(
        figures=accountability_figures(rows),
        agencies=[(agency, accountability_figures(by_agency[agency.pk])) for agency in agencies],
        monthly=monthly_first_answers(rows, now=now or timezone.now()),
    )
