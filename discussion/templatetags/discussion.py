"""{% comment_thread target %} renders a discussion in place; {% held_comments_section agency %} the moderation part.

The thread is one query however many comments it has (discussion.selectors.comment_thread).
"""

from django import template
from django.conf import settings
from django.urls import reverse

from discussion import selectors
from discussion.discussables import discussables
from discussion.models import CommentBlocklist
from discussion.rules import comment_max_length, comment_refusal, discussion_is_open
from discussion.views import CommentForm
from notifications.subscriptions import subscription_exists

register = template.Library()


@register.inclusion_tag("discussion/thread_body.html", takes_context=True)
def comment_thread(context, target):
    request = context["request"]
    user = request.user
    ordering = request.GET.get("comments", selectors.DEFAULT_COMMENT_ORDERING)
    if ordering not in selectors.COMMENT_ORDERINGS:
        ordering = selectors.DEFAULT_COMMENT_ORDERING
    flat = selectors.comment_thread_flat(selectors.comment_thread(target=target, user=user, ordering=ordering))
    discussable = discussables[target]
    route = {"segment": discussable.segment, "key": discussable.url_key(target)}
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "target_url": target.get_absolute_url(),
        "comments": flat,
        "count": sum(1 for node in flat if node.status == "visible"),
        "can_post": comment_refusal(user, target) is None,
        "can_follow": user.has_perm("notifications.add_subscription", target),
        "is_following": subscription_exists(user=user, target=target),
        "follow_url": reverse("discussion:follow", kwargs=route),
        "is_verified": user.has_perm("accounts.act_as_citizen"),
        "is_open": discussion_is_open(user, target),
        "form": CommentForm(),
        "post_url": reverse("discussion:post", kwargs=route),
        "count_url": reverse("discussion:count", kwargs=route),
        "poll_seconds": settings.COMMENTS_COUNT_POLL_SECONDS,
        "orderings": selectors.COMMENT_ORDERINGS,
        "ordering": ordering,
        "max_length": comment_max_length(),
        "heading": discussable.heading,
    }


@register.inclusion_tag("discussion/held_comments.html", takes_context=True)
def held_comments_section(context, agency):
    """Comments held by the agency's blocklist, and the blocklist, for the moderation queue page."""
    blocklist = CommentBlocklist.objects.filter(agency=agency).first()
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "agency": agency,
        "held_comments": selectors.comment_list_held(agency=agency),
        "blocklist_terms": blocklist.terms if blocklist else "",
    }


@register.inclusion_tag("discussion/includes/profile_comments.html", takes_context=True)
def profile_comments(context, profile_user):
    """{% profile_comments user %}: their published comments on public discussions, 10 a page (`?comments_page=`)."""
    from django.core.paginator import Paginator  # noqa: PLC0415

    request = context["request"]
    comments = selectors.comment_list_of_person(user=profile_user)
    return {"page": Paginator(comments, 10).get_page(request.GET.get("comments_page")), "request": request}
