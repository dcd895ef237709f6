"""Who may resolve reports (django-rules predicates). Reporting a kind of content is that content's own rule."""

import rules

from accounts.rules import is_site_admin
from agencies.rules import is_agency_manager


@rules.predicate
def manages_report_contest(user, report) -> bool:
    """An admin or manager of the agency running the report's contest."""
    return report is not None and is_agency_manager(user, report.contest.agency)


rules.add_perm("moderation.resolve_report", manages_report_contest | is_site_admin)
