"""Points a report earns its reporter (registered in reports.apps): acknowledged as valid, and fixed.

A report closed without being acknowledged (rejected, a duplicate, not ours) earns nothing;
one merged into another gives its points up. The caps per day keep reports from being farmed.
"""

from django.utils.translation import gettext_lazy as _

from engagement.ledger_rules import ActionRule, BadgeRule
from engagement.sources import Deserved, PointSource
from reports.models import Report, ReportUpdate

ACKNOWLEDGED = ActionRule(
    "report_acknowledged",
    _("Report acknowledged"),
    5,
    5,
    _("A report of yours is acknowledged as valid by the agency (5 points, up to 5 a day)."),
)
FIXED = ActionRule(
    "report_fixed", _("Report fixed"), 10, 5, _("A problem you reported is fixed (10 points, up to 5 a day).")
)
RULES = (
    ACKNOWLEDGED,
    FIXED,
    BadgeRule("first_fixed_report", FIXED.key, 1, _("Eyes of the city"), _("Reported a problem that got fixed.")),
)
VALID = {Report.Status.ACKNOWLEDGED, Report.Status.IN_PROGRESS, Report.Status.FIXED}


def report_deserved(report: Report) -> Deserved:
    deserved: Deserved = {}
    if report.merged_into_id is not None or report.source_client_id is not None:
        return deserved
    reached = {report.status, *ReportUpdate.objects.filter(report=report).values_list("status", flat=True)}
    if reached & VALID:
        deserved[(ACKNOWLEDGED.key, report.reporter_id)] = None
    if Report.Status.FIXED in reached:
        deserved[(FIXED.key, report.reporter_id)] = None
    return deserved


POINT_SOURCE = PointSource(
    fresh=lambda pk: Report.objects.filter(pk=pk).first(),
    deserved=report_deserved,
    actions=(ACKNOWLEDGED.key, FIXED.key),
)
