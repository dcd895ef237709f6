"""Points a comment earns its author when others like it (registered with engagement.sources in discussion.apps)."""

from django.utils.translation import gettext_lazy as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from discussion.discussables import comment_target, contest_of
from discussion.models import CommentState
from engagement.ledger_rules import ActionRule, BadgeRule
from engagement.sources import Deserved, PointSource

COMMENT_LIKED = ActionRule(
    "comment_liked",
    _("Comment liked by others"),
    2,
    10,
    _("Someone else likes a comment of yours (2 points per comment, up to 10 comments a day)."),
)
RULES = (
    COMMENT_LIKED,
    BadgeRule(
        "helpful_commenter",
        COMMENT_LIKED.key,
        10,
        _("Helpful commenter"),
        _("Wrote 10 comments that other people liked."),
    ),
)


def comment_deserved(comment: XtdComment) -> Deserved:
    """A published comment liked by someone else earns its author points (once per comment)."""
    deserved: Deserved = {}
    if comment.user_id is None or comment.is_removed or not comment.is_public:
        return deserved
    if CommentState.objects.filter(comment_id=comment.pk, deleted_at__isnull=False).exists():
        return deserved
    liked = CommentFlag.objects.filter(comment_id=comment.pk, flag=LIKEDIT_FLAG).exclude(user_id=comment.user_id)
    if liked.exists():
        target = comment_target(comment)
        deserved[(COMMENT_LIKED.key, comment.user_id)] = contest_of(target).pk if target is not None else None
    return deserved


POINT_SOURCE = PointSource(
    fresh=lambda pk: XtdComment.norel_objects.filter(pk=pk).first(),
    deserved=comment_deserved,
    actions=(COMMENT_LIKED.key,),
)
