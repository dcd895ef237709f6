"""Who may do what in a discussion (django-rules predicates), and the refusal message when they may not.

Object predicates take a comment with its target attached (`civitas_target`, see
discussion.discussables.attach_target) or, for posting, the discussed target itself.
`comment_refusal` is the one place that says why someone may not comment: pages, the API
and the thread all use it.
"""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from accounts.rules import is_site_admin, is_verified
from agencies.rules import is_agency_manager
from discussion.discussables import attach_target, contest_of, discussables
from discussion.models import CommentState


def comment_max_length() -> int:
    return getattr(settings, "COMMENT_MAX_LENGTH", 3000)


def comment_max_level() -> int:
    return settings.COMMENTS_XTD_MAX_THREAD_LEVEL


def comment_state(comment: XtdComment) -> CommentState:
    """The comment's CommentState (an unsaved blank one for a comment created outside Civitas)."""
    try:
        return comment.civitas_state
    except CommentState.DoesNotExist:
        return CommentState(comment=comment)


def comment_status(comment: XtdComment) -> str:
    """visible, held (waits for a moderator), deleted (by its author) or hidden (by moderators)."""
    state = comment_state(comment)
    if state.hidden_at is not None:
        return "hidden"
    if state.deleted_at is not None or comment.is_removed:
        return "deleted"
    if state.is_held or not comment.is_public:
        return "held"
    return "visible"


def comments_open_for_contest(contest, now=None) -> bool:
    """Published, and before the contest date named by COMMENTS_OPEN_UNTIL (voting close by default)."""
    now = now or timezone.now()
    closes_at = getattr(contest, settings.COMMENTS_OPEN_UNTIL, None) or contest.voting_closes_at
    return bool(contest.is_published and now < closes_at)


@rules.predicate
def discussion_is_public(user, target) -> bool:
    return target is not None and target in discussables and bool(discussables[target].is_public(target))


@rules.predicate
def discussion_is_open(user, target) -> bool:
    """The target is public and its contest still takes comments."""
    return bool(discussion_is_public(user, target)) and comments_open_for_contest(contest_of(target))


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(comment is not None and user and user.is_authenticated and comment.user_id == user.pk)


@rules.predicate
def comment_is_visible(user, comment) -> bool:
    return comment is not None and comment_status(comment) == "visible"


@rules.predicate
def comment_is_deletable(user, comment) -> bool:
    """Visible or still waiting for review (deleted and hidden comments stay as they are)."""
    return comment is not None and comment_status(comment) in ("visible", "held")


@rules.predicate
def comment_in_edit_window(user, comment) -> bool:
    window = timedelta(seconds=settings.COMMENTS_EDIT_WINDOW_SECONDS)
    return comment is not None and timezone.now() < comment.submit_date + window


@rules.predicate
def comment_discussion_open(user, comment) -> bool:
    return comment is not None and discussion_is_open(user, getattr(attach_target(comment), "civitas_target", None))


@rules.predicate
def manages_discussion(user, target) -> bool:
    """An admin or manager of the agency running the contest the discussion belongs to."""
    return target is not None and is_agency_manager(user, contest_of(target).agency)


@rules.predicate
def manages_comment_contest(user, comment) -> bool:
    if comment is None:
        return False
    target = attach_target(comment).civitas_target
    return target is not None and manages_discussion(user, target)


rules.add_perm("discussion.add_comment", is_verified & discussion_is_open)
rules.add_perm(
    "discussion.change_comment", is_verified & is_comment_author & comment_is_visible & comment_in_edit_window
)
rules.add_perm("discussion.delete_comment", is_verified & is_comment_author & comment_is_deletable)
rules.add_perm(
    "discussion.react_to_comment", is_verified & ~is_comment_author & comment_is_visible & comment_discussion_open
)
rules.add_perm("discussion.report_comment", is_verified & ~is_comment_author & comment_is_visible)
rules.add_perm("discussion.moderate_comment", manages_comment_contest | is_site_admin)


def comment_is_known_to(user, comment) -> bool:
    """A held comment (waiting for a moderator) exists only for its author and the moderators."""
    if comment_status(comment) != "held":
        return True
    return is_comment_author(user, comment) or user.has_perm("discussion.moderate_comment", comment)


def comment_refusal(user, target) -> str | None:
    """Why `user` may not comment on `target` now, or None if they may."""
    if not (user and user.is_authenticated):
        return _("Sign in to comment.")
    if not is_verified(user):
        return _("Verify your email address before commenting.")
    if not discussion_is_open(user, target):
        return _("Comments are closed for this discussion.")
    return None


def comment_report_refusal(user, comment) -> str | None:
    """Why `user` may not report `comment`, or None if they may."""
    if not is_verified(user):
        return _("Verify your email address before reporting content.")
    if is_comment_author(user, comment):
        return _("You cannot report your own comment.")
    if not comment_is_visible(user, comment):
        return _("This comment can no longer be reported.")
    return None
