"""Who may do what with accounts and agencies (django-rules predicates).

Agency roles: an agency *admin* manages the agency's profile and members and may
also run its contests; a *manager* runs the agency's contests. Site admins
(superusers) may do everything. Predicates cache what they look up on the user
object, so checking several permissions on one request costs one query each.
"""

import rules
from allauth.account.models import EmailAddress

from accounts.models import AgencyMembership


def _memberships(user) -> dict[int, str]:
    """{agency_id: role} for the user, loaded once per user object."""
    cached = getattr(user, "_civitas_memberships", None)
    if cached is None:
        cached = dict(AgencyMembership.objects.filter(user_id=user.pk).values_list("agency_id", "role"))
        user._civitas_memberships = cached
    return cached


@rules.predicate
def is_verified(user) -> bool:
    """Signed in, active, and the primary email address is verified."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_civitas_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user_id=user.pk, verified=True, primary=True).exists()
        user._civitas_verified = cached
    return cached


@rules.predicate
def is_site_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


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
def is_any_agency_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and _memberships(user))


rules.add_perm("accounts.act_as_citizen", is_verified)
rules.add_perm("accounts.add_agency", is_site_admin)
rules.add_perm("accounts.change_agency", is_site_admin | is_agency_admin)
rules.add_perm("accounts.manage_agency_members", is_site_admin | is_agency_admin)
rules.add_perm("accounts.manage_agency_contests", is_site_admin | is_agency_manager)
