from django import template

from engagement.selectors import points_total, preference_of, user_badges

register = template.Library()


@register.simple_tag
def profile_badges(user):
    """The user's badges with their rule and date (one query)."""
    return user_badges(user=user)


@register.simple_tag
def profile_points(user) -> int:
    """The user's points from the ledger (one query)."""
    return points_total(user=user)


@register.simple_tag
def profile_on_boards(user) -> bool:
    """False when the user chose to stay off public boards: their profile then keeps points and badges private."""
    return preference_of(user=user).show_on_leaderboards
