from django import template
from django.urls import reverse

from notifications.subscriptions import followables, subscription_exists

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, target) -> dict:
    """What the follow button needs: whether the user follows `target`, may follow it, and where to post.

    Anonymous visitors cost no query; signed-in users one or two (subscriptions, verified email).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    followable = followables[target]
    state = {
        "url": reverse(
            "notifications:follow", kwargs={"segment": followable.segment, "key": followable.url_key(target)}
        ),
        "signed_in": bool(user and user.is_authenticated),
        "following": False,
        "can_follow": False,
    }
    if state["signed_in"]:
        state["following"] = subscription_exists(user=user, target=target)
        state["can_follow"] = state["following"] or user.has_perm("notifications.add_subscription", target)
    return state


@register.simple_tag
def follow_url(target) -> str:
    """The follow/unfollow address of a followable target."""
    followable = followables[target]
    return reverse("notifications:follow", kwargs={"segment": followable.segment, "key": followable.url_key(target)})
