"""Who may do what with agencies (django-rules predicates).

Agency roles: an agency *admin* manages the agency's profile and members and may
also run its contests; a *manager* runs the agency's contests. Site admins
(superusers) may do everything. A user's memberships are loaded once per user object.
"""

import rules

from accounts.rules import is_site_admin, is_verified
from agencies.models import AgencyMembership
from agencies.selectors import agency_ancestor_ids


def _memberships(user) -> dict[int, str]:
    """{agency_id: role} for the user, loaded once per user object."""
    cached = getattr(user, "_civitas_memberships", None)
    if cached is None:
        cached = dict(AgencyMembership.objects.filter(user_id=user.pk).values_list("agency_id", "role"))
        user._civitas_memberships = cached
    return cached


@rules.predicate
def is_agency_admin(user, agency) -> bool:
    # A role needs a verified email too: whoever signed up with an address they do not
    # own must not inherit the role an agency admin granted to that address.
    if agency is None or not is_verified(user):
        return False
    return _memberships(user).get(agency.pk) == AgencyMembership.Role.ADMIN


@rules.predicate
def is_agency_manager(user, agency) -> bool:
    """Admins and managers of the agency (with a verified email) both run its contests."""
    if agency is None or not is_verified(user):
        return False
    return _memberships(user).get(agency.pk) in (AgencyMembership.Role.ADMIN, AgencyMembership.Role.MANAGER)


@rules.predicate
def is_agency_member_or_overseer(user, agency) -> bool:
    """Any member (admin, manager, staff) of the agency or of an agency above it (上级部门), with a verified email."""
    if agency is None or not is_verified(user):
        return False
    memberships = _memberships(user)
    if agency.pk in memberships:
        return True
    if not memberships:
        return False
    return any(ancestor in memberships for ancestor in agency_ancestor_ids(agency=agency))


rules.add_perm("agencies.add_agency", is_site_admin)
rules.add_perm("agencies.change_agency", is_site_admin | is_agency_admin)
rules.add_perm("agencies.manage_agency_members", is_site_admin | is_agency_admin)
rules.add_perm("agencies.manage_agency_contests", is_site_admin | is_agency_manager)
