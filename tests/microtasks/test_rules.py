"""Every microtasks permission, for every role, on a published and a draft campaign.

microtasks is not in tests/test_permission_matrix.py's PROJECT_APPS (that matrix is built on contest
phases, which campaigns do not have); this matrix covers the app instead and fails when a permission
is added without its row.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions

from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "unverified", "citizen", "manager", "agency_admin", "other_manager", "site_admin")
VERIFIED = set(ROLES) - {"anonymous", "unverified"}
STAFF = {"manager", "agency_admin", "site_admin"}

# permission -> (object: "agency" or "campaign", rule(role, published) -> expected)
CASES = {
    "microtasks.add_campaign": ("agency", lambda role, published: role in STAFF),
    "microtasks.manage_campaign": ("campaign", lambda role, published: role in STAFF),
    "microtasks.review_submission": ("campaign", lambda role, published: role in STAFF),
    "microtasks.view_campaign": ("campaign", lambda role, published: published or role in STAFF),
    "microtasks.claim_campaign": ("campaign", lambda role, published: role in VERIFIED and published),
}


def test_every_microtasks_permission_has_a_row():
    assert {name for name in permissions if name.startswith("microtasks.")} == set(CASES)


@pytest.mark.parametrize("published", [True, False])
@pytest.mark.parametrize("permission", list(CASES))
def test_each_role_holds_the_permission_where_its_rule_says(permission, published):
    agency = AgencyFactory()
    people = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "citizen": UserFactory(),
        "manager": MembershipFactory(agency=agency, role="manager").user,
        "agency_admin": MembershipFactory(agency=agency, role="admin").user,
        "other_manager": MembershipFactory(role="manager").user,
        "site_admin": UserFactory(is_superuser=True, is_staff=True),
    }
    campaign = CampaignFactory(agency=agency, is_published=published)
    target, rule = CASES[permission]
    obj = agency if target == "agency" else campaign
    for role, user in people.items():
        # Django grants an active superuser every permission before asking the rules.
        expected = rule(role, published) or role == "site_admin"
        assert user.has_perm(permission, obj) == expected, (role, published)
