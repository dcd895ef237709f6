"""Who a person is, for permissions (django-rules predicates): signed in, verified, site admin.

Predicates cache what they look up on the user object, so checking several permissions on
one request costs one query each. Agency roles are in agencies.rules.
"""

import rules
from allauth.account.models import EmailAddress


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


rules.add_perm("accounts.act_as_citizen", is_verified)
