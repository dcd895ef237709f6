"""The discussion partial (templates/proposals/comments/thread.html) loads its thread itself.

So the proposal and contest pages need only an {% include %} line. The thread is
one query however many comments it has (see proposals.comments.comment_thread).
"""

from django import template
from django.conf import settings
from django.urls import reverse

from contests.models import Contest
from proposals import comments
from proposals.views_comments import CommentForm

register = template.Library()


@register.inclusion_tag("proposals/comments/thread_body.html", takes_context=True)
def comment_thread_for(context, target):
    request = context["request"]
    user = request.user
    ordering = request.GET.get("comments", comments.DEFAULT_COMMENT_ORDERING)
    if ordering not in comments.COMMENT_ORDERINGS:
        ordering = comments.DEFAULT_COMMENT_ORDERING
    flat = comments.comment_thread_flat(comments.comment_thread(target=target, user=user, ordering=ordering))
    is_contest = isinstance(target, Contest)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "target_url": target.get_absolute_url(),
        "comments": flat,
        "count": sum(1 for node in flat if node.status == "visible"),
        "can_post": user.has_perm("proposals.add_comment", target),
        "can_follow": user.has_perm("proposals.follow_discussion", target),
        "is_following": comments.discussion_is_followed(user=user, target=target),
        "follow_url": reverse(
            "proposals_comments:follow_contest" if is_contest else "proposals_comments:follow_proposal",
            kwargs={"key": target.slug if is_contest else target.pk},
        ),
        "is_verified": user.has_perm("accounts.act_as_citizen"),
        "is_open": comments.discussion_is_open(user, target),
        "form": CommentForm(),
        "post_url": reverse(
            "proposals_comments:post_contest" if is_contest else "proposals_comments:post_proposal",
            kwargs={"key": target.slug if is_contest else target.pk},
        ),
        "count_url": "" if is_contest else reverse("proposals_comments:count", kwargs={"pk": target.pk}),
        "poll_seconds": settings.COMMENTS_COUNT_POLL_SECONDS,
        "orderings": comments.COMMENT_ORDERINGS,
        "ordering": ordering,
        "max_length": comments.comment_max_length(),
        "is_contest": is_contest,
    }
