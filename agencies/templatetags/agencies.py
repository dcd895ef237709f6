from django import template

from agencies.selectors import user_memberships as _user_memberships

register = template.Library()


@register.simple_tag
def user_memberships(user):
    """{% user_memberships profile_user as memberships %}: the user's agency roles, agencies loaded (one query)."""
    return list(_user_memberships(user=user))
