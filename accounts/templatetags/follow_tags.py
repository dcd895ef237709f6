from django import template
from django.urls import reverse

from accounts.follows import follow_is_following, follow_target_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, target) -> dict:
    """What the follow button needs: whether the user follows `target`, may follow it, and where to post.

    Anonymous visitors cost no query; signed-in users one or two (follows, verified email).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = follow_target_kind(target)
    key = target.slug if kind in ("contest", "agency") else target.pk
    state = {
        "kind": kind,
        "url": reverse(f"follows:follow_{kind}", kwargs={"key": key}),
        "signed_in": bool(user and user.is_authenticated),
        "following": False,
        "can_follow": False,
    }
    if state["signed_in"]:
        state["following"] = follow_is_following(user=user, target=target)
        state["can_follow"] = state["following"] or user.has_perm("accounts.add_follow", target)
    return state
