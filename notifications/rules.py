"""Who may follow what (django-rules predicates). What can be followed is registered in notifications.subscriptions."""

import rules

from accounts.rules import is_verified
from notifications.subscriptions import followables


@rules.predicate
def target_is_followable(user, target) -> bool:
    """The target is of a registered kind and the user may see it (a published contest, a public proposal…)."""
    followable = followables.get(target) if target is not None else None
    return followable is not None and bool(followable.is_visible(user, target))


rules.add_perm("notifications.add_subscription", is_verified & target_is_followable)
