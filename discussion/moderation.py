"""How comments are moderated: their moderation target, registered in discussion.apps."""

from django_comments_xtd.models import XtdComment

from discussion.discussables import attach_target, contest_of, discussables
from discussion.notifications import COMMENT_HIDDEN
from discussion.rules import comment_status
from discussion.services import comment_hidden_data, hide_comment
from moderation.targets import ModerationTarget


def _comment_reportable(comment: XtdComment) -> bool:
    """A visible comment of a discussion everyone can read (not of a withdrawn or hidden proposal)."""
    comment = XtdComment.norel_objects.select_related("civitas_state").filter(pk=comment.pk).first()
    if comment is None or comment_status(comment) != "visible":
        return False
    target = attach_target(comment).civitas_target
    return target is not None and bool(discussables[target].is_public(target))


def _comment_contest(comment: XtdComment):
    return contest_of(attach_target(comment).civitas_target)


MODERATION_TARGET = ModerationTarget(
    contest=_comment_contest,
    is_reportable=_comment_reportable,
    hide=lambda comment, reason: hide_comment(comment, reason),
    authors=lambda comment: [comment.user] if comment.user_id else [],
    notify_kind=COMMENT_HIDDEN.key,
    notification_data=lambda comment, reason: comment_hidden_data(attach_target(comment), reason),
    queryset=lambda: XtdComment.norel_objects.select_related("user", "civitas_state"),
)
