"""Every reports.* permission for every role: the reports app's own matrix.

tests/test_permission_matrix.py covers the contest-phase apps (its PROJECT_APPS); reports has no
phases, so its permissions are checked here, one row each, and the completeness test below fails
when a reports permission has no row.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions

from reports.models import Report
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.reports.helpers import category_make, report_make

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "unverified",
    "citizen",
    "reporter",
    "staff",
    "manager",
    "parent_staff",
    "other_staff",
    "site_admin",
)
STAFF = {"staff", "manager", "parent_staff", "site_admin"}


def _world():
    parent = AgencyFactory(name="City hall")
    agency = AgencyFactory(name="Lighting", parent=parent)
    other = AgencyFactory(name="Elsewhere")
    category_make(agency)
    reporter = UserFactory()
    users = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "citizen": UserFactory(),
        "reporter": reporter,
        "staff": MembershipFactory(agency=agency, role="staff").user,
        "manager": MembershipFactory(agency=agency, role="manager").user,
        "parent_staff": MembershipFactory(agency=parent, role="staff").user,
        "other_staff": MembershipFactory(agency=other, role="admin").user,
        "site_admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return agency, report_make(reporter), users


CASES = {
    "reports.add_report": (lambda agency, report: None, lambda role, status: role not in {"anonymous", "unverified"}),
    "reports.manage_report": (lambda agency, report: report, lambda role, status: role in STAFF),
    "reports.add_metoo": (
        lambda agency, report: report,
        lambda role, status: role not in {"anonymous", "unverified", "reporter"} and status == "open",
    ),
    "reports.answer_followup": (lambda agency, report: report, lambda role, status: role in {"reporter", "site_admin"}),
    "reports.view_report_queue": (lambda agency, report: agency, lambda role, status: role in STAFF),
}


def test_every_reports_permission_has_a_row():
    assert {name for name in permissions if name.startswith("reports.")} == set(CASES)


@pytest.mark.parametrize("status", ["open", "fixed"])
@pytest.mark.parametrize("permission", sorted(CASES))
def test_roles_hold_reports_permissions_where_the_rules_say(permission, status):
    agency, report, users = _world()
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    build, expected = CASES[permission]
    for role in ROLES:
        user = users[role]
        holds = user.has_perm(permission, build(agency, report))
        assert holds == (expected(role, status) or (role == "site_admin")), (permission, role, status)
