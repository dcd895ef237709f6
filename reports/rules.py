"""Who may do what with citizen reports (django-rules predicates).

Staff of a report are the members (any role) of the agency it is routed to and of every
agency above it (上级部门): a parent agency sees and reassigns its sub-agencies' reports.
Reports are public to read, except those merged into another report (their page redirects).
"""

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_site_admin, is_verified
from agencies.rules import is_agency_member_or_overseer
from reports.models import Report


@rules.predicate
def is_report_staff(user, report) -> bool:
    return report is not None and is_agency_member_or_overseer(user, report.agency)


@rules.predicate
def is_reporter(user, report) -> bool:
    return bool(report is not None and user and user.is_authenticated and report.reporter_id == user.pk)


@rules.predicate
def is_unresolved_report(user, report) -> bool:
    return report is not None and report.status in Report.UNRESOLVED and report.merged_into_id is None


rules.add_perm("reports.add_report", is_verified)
rules.add_perm("reports.manage_report", is_site_admin | is_report_staff)
rules.add_perm("reports.add_metoo", is_verified & ~is_reporter & is_unresolved_report)
rules.add_perm("reports.answer_followup", is_reporter)
rules.add_perm("reports.view_report_queue", is_site_admin | is_agency_member_or_overseer)


def metoo_refusal(user, report: Report) -> str | None:
    """Why `user` may not add "me too" to `report`, or None if they may."""
    if not (user and user.is_authenticated):
        return _("Sign in to add “me too”.")
    if not is_verified(user):
        return _("Confirm your email address to add “me too”.")
    if report.reporter_id == user.pk:
        return _("This is your own report.")
    if not is_unresolved_report(user, report):
        return _("This report is already resolved.")
    return None
