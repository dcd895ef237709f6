"""Every accounts permission for every role (adhocracy-style role matrix)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import MembershipFactory

ROLES = ["anonymous", "unverified", "citizen", "manager_a", "admin_a", "manager_b", "site_admin"]

# permission -> roles that hold it (object permissions are checked on agency A).
EXPECTED = {
    "accounts.act_as_citizen": {"citizen", "manager_a", "admin_a", "manager_b", "site_admin"},
    "agencies.add_agency": {"site_admin"},
    "agencies.change_agency": {"admin_a", "site_admin"},
    "agencies.manage_agency_members": {"admin_a", "site_admin"},
    "agencies.manage_agency_contests": {"manager_a", "admin_a", "site_admin"},
}
OBJECT_PERMISSIONS = {"agencies.change_agency", "agencies.manage_agency_members", "agencies.manage_agency_contests"}


@pytest.fixture
def people(citizen, unverified_user, agency, other_agency, agency_manager, agency_admin, site_admin):
    return {
        "anonymous": AnonymousUser(),
        "unverified": unverified_user,
        "citizen": citizen,
        "manager_a": agency_manager,
        "admin_a": agency_admin,
        "manager_b": MembershipFactory(agency=other_agency, role="manager").user,
        "site_admin": site_admin,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_permission_matrix(people, agency, role, permission):
    user = people[role]
    target = agency if permission in OBJECT_PERMISSIONS else None
    assert user.has_perm(permission, target) is (role in EXPECTED[permission])


@pytest.mark.django_db
def test_admin_of_b_cannot_manage_agency_a(agency, other_agency):
    admin_b = MembershipFactory(agency=other_agency, role="admin").user
    for permission in OBJECT_PERMISSIONS:
        assert not admin_b.has_perm(permission, agency)
        assert admin_b.has_perm(permission, other_agency)


@pytest.mark.django_db
def test_deactivated_member_loses_every_permission(agency, agency_admin):
    agency_admin.is_active = False
    agency_admin.save()
    for permission in EXPECTED:
        target = agency if permission in OBJECT_PERMISSIONS else None
        assert not agency_admin.has_perm(permission, target)


@pytest.mark.django_db
def test_agency_role_on_an_unverified_account_grants_nothing(agency):
    # Someone may sign up with an official's address they do not own; the role an agency
    # admin grants to that address must not work until the address is verified.
    admin = MembershipFactory(agency=agency, role="admin", user__verified=False).user
    for permission in EXPECTED:
        target = agency if permission in OBJECT_PERMISSIONS else None
        assert not admin.has_perm(permission, target)


@pytest.mark.django_db
def test_object_permissions_without_an_agency_are_refused(agency_admin):
    assert not agency_admin.has_perm("agencies.change_agency", None)
    assert not agency_admin.has_perm("agencies.manage_agency_contests")
