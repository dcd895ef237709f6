"""What discussions tell people: notification kinds, and the unsubscribe links of older comment emails."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import NotificationKind


def _render_comment_posted(data: dict) -> str:
    return _("%(name)s commented on “%(title)s”.") % {
        "name": data.get("commenter_name", ""),
        "title": data.get("title", ""),
    }


def _render_comment_reply(data: dict) -> str:
    return _("%(name)s replied to your comment on “%(title)s”.") % {
        "name": data.get("commenter_name", ""),
        "title": data.get("title", ""),
    }


def _render_comment_hidden(data: dict) -> str:
    return _("Your comment on “%(title)s” was hidden by the moderators. Reason: %(reason)s") % {
        "title": data.get("title", ""),
        "reason": data.get("reason", ""),
    }


COMMENT_POSTED = NotificationKind(
    "comment_posted", gettext_lazy("New comment in a discussion you follow"), _render_comment_posted
)
COMMENT_REPLY = NotificationKind("comment_reply", gettext_lazy("Reply to your comment"), _render_comment_reply)
COMMENT_HIDDEN = NotificationKind(
    "comment_hidden", gettext_lazy("Comment hidden by moderators"), _render_comment_hidden
)
KINDS = (COMMENT_POSTED, COMMENT_REPLY, COMMENT_HIDDEN)

# Comment emails sent before the one email pipeline signed their unsubscribe links with this salt;
# such a link still turns off emails about new comments and replies.
LEGACY_UNSUBSCRIBE_SALT = "proposals.comments.unsubscribe"
LEGACY_MUTED_KINDS = (COMMENT_POSTED.key, COMMENT_REPLY.key)
