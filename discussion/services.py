"""Writes for discussions: post, edit, delete, hide, restore, react; blocklists; moving a discussion on merge.

Comments are comments-xtd `XtdComment` rows (threading: `thread_id`, `parent_id`,
`level`, `order`) plus one `CommentState` row each for what Civitas adds. Only this
module writes them. Why not comments-xtd's own views and templates: they accept
anonymous posts with email confirmation, and its `render_markup_comment` lets a
commenter choose a markup filter with a first line such as `#!markdown` and marks
the result safe unsanitised. Here every comment is rendered by
`common.sanitize.render_markdown` only, whatever its first line says.

Names are display names (`user_name` is filled with it); `user_email` is left
empty, so no address can leak through the comment tables.

Deleting and hiding update rows with `QuerySet.update()`: comments-xtd's pre_save
signal would otherwise unpublish every reply below a removed comment, and the
thread must keep its shape with a placeholder.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from accounts.models import User
from agencies.models import Agency
from common.ratelimit import rates_exceeded
from discussion.discussables import attach_target, comment_target, comments_on, contest_of, discussables
from discussion.models import CommentBlocklist, CommentState
from discussion.notifications import COMMENT_HIDDEN, COMMENT_POSTED, COMMENT_REPLY
from discussion.rules import comment_max_length, comment_max_level, comment_status
from engagement.hooks import points_sync_on_commit
from notifications.services import notification_notify
from notifications.subscriptions import subscribers_of, subscription_set

REACTIONS = {"like": LIKEDIT_FLAG, "dislike": DISLIKEDIT_FLAG}
USER_NAME_MAX_LENGTH = XtdComment._meta.get_field("user_name").max_length


class CommentRateLimited(Exception):
    """Too many comments from one account or one address in the configured window."""


def comment_check_rate_limit(*, user: User, ip_address: str | None) -> None:
    """Raise CommentRateLimited when the account or the address posted too often recently."""
    limits = [(f"comment:user:{user.pk}", settings.COMMENTS_RATE_LIMIT_USER)]
    if ip_address:
        limits.append((f"comment:ip:{ip_address}", settings.COMMENTS_RATE_LIMIT_IP))
    if rates_exceeded(limits):
        raise CommentRateLimited(_("You are posting too fast. Wait a minute and try again."))


def blocklist_match(*, agency: Agency, text: str) -> str:
    """The first blocked term of the agency found in `text` (case-insensitive), or ""."""
    blocklist = CommentBlocklist.objects.filter(agency=agency).first()
    if blocklist is None:
        return ""
    lowered = text.lower()
    return next((term for term in blocklist.term_list() if term in lowered), "")


@transaction.atomic
def blocklist_update(*, agency: Agency, terms: str) -> CommentBlocklist:
    """Replace the agency's blocked words and links. Caller has checked `agencies.manage_agency_contests`."""
    field = CommentBlocklist._meta.get_field("terms")
    if len(terms) > field.max_length:
        raise ValidationError({"terms": _("Keep the list to %(limit)d characters.") % {"limit": field.max_length}})
    cleaned = "\n".join(line.strip() for line in terms.splitlines() if line.strip())
    blocklist, _created = CommentBlocklist.objects.update_or_create(agency=agency, defaults={"terms": cleaned})
    return blocklist


# --- writes ----------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something before posting.")})
    limit = comment_max_length()
    if len(text) > limit:
        raise ValidationError(
            {"text": _("Keep it to %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(text)}}
        )
    return text


@transaction.atomic
def comment_post(
    *,
    author: User,
    target: Model,
    text: str,
    parent_id: int | None = None,
    followup: bool = True,
    ip_address: str | None = None,
) -> XtdComment:
    """Post a comment (or a reply to comment `parent_id`) on a registered discussable (a proposal, a contest).

    Caller has checked `discussion.add_comment` on `target`. Raises ValidationError for
    empty or over-long text, a parent that is not a visible comment of the same
    discussion or is already at the deepest level; CommentRateLimited when the author
    or their address posts too fast. A comment matching the agency's blocklist is held
    for review (not public) instead of published. Notifies the target's authors, the
    parent's author and the target's followers after commit; with `followup` the author
    follows the target from now on.
    """
    text = _clean_text(text)
    parent = None
    if parent_id is not None:
        parent = comments_on(target).select_related("civitas_state").filter(pk=parent_id).first()
        if parent is None or comment_status(parent) != "visible":
            raise ValidationError({"parent": _("You can only reply to a visible comment of this discussion.")})
        if parent.level >= comment_max_level():
            raise ValidationError({"parent": _("This thread is as deep as it can go: reply further up.")})
    comment_check_rate_limit(user=author, ip_address=ip_address)
    contest = contest_of(target)
    held_term = blocklist_match(agency=contest.agency, text=text)
    comment = XtdComment(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        site_id=settings.SITE_ID,
        user=author,
        user_name=author.public_name[:USER_NAME_MAX_LENGTH],
        user_email="",  # never stored: the thread shows display names only
        comment=text,
        ip_address=ip_address,
        is_public=not held_term,
        followup=followup,
        parent_id=parent.pk if parent is not None else 0,
    )
    comment.save()
    CommentState.objects.create(comment=comment, is_held=bool(held_term), held_reason=held_term[:200])
    if followup:
        subscription_set(user=author, target=target, follow=True)
    if not held_term:
        _notify_new_comment(comment=comment, target=target, parent=parent)
    return comment


@transaction.atomic
def comment_edit(*, comment: XtdComment, editor: User, text: str) -> XtdComment:
    """Change a comment's text. Caller has checked `discussion.change_comment` (author, within the edit window).

    A new text matching the blocklist puts the comment on hold again.
    """
    text = _clean_text(text)
    target = attach_target(comment).civitas_target
    held_term = blocklist_match(agency=contest_of(target).agency, text=text) if target is not None else ""
    now = timezone.now()
    XtdComment.norel_objects.filter(pk=comment.pk).update(comment=text, is_public=not held_term)
    CommentState.objects.update_or_create(
        comment=comment, defaults={"edited_at": now, "is_held": bool(held_term), "held_reason": held_term[:200]}
    )
    comment.refresh_from_db()
    return comment


@transaction.atomic
def comment_delete(*, comment: XtdComment, user: User) -> None:
    """Delete one's own comment: its text is erased, a "deleted" placeholder keeps the replies in place.

    Caller has checked `discussion.delete_comment`.
    """
    XtdComment.norel_objects.filter(pk=comment.pk).update(comment="", is_removed=True)
    CommentState.objects.update_or_create(comment=comment, defaults={"deleted_at": timezone.now()})
    CommentFlag.objects.filter(comment=comment).delete()
    points_sync_on_commit(target=comment, reason="deleted")


def hide_comment(comment: XtdComment, reason: str, moderator: User | None = None) -> None:
    """Hide the comment with a public reason (moderation's hide, and comment_hide's write)."""
    XtdComment.norel_objects.filter(pk=comment.pk).update(is_removed=True)
    CommentState.objects.update_or_create(
        comment=comment,
        defaults={"hidden_reason": reason, "hidden_by": moderator, "hidden_at": timezone.now(), "is_held": False},
    )
    comment.is_removed = True
    if hasattr(comment, "_state") and "civitas_state" in comment._state.fields_cache:
        del comment._state.fields_cache["civitas_state"]
    points_sync_on_commit(target=comment, reason="hidden")


@transaction.atomic
def comment_hide(*, comment: XtdComment, moderator: User, reason: str) -> None:
    """Hide a comment with a public reason and tell its author. Caller has checked `discussion.moderate_comment`."""
    reason = (reason or "").strip()
    limit = CommentState._meta.get_field("hidden_reason").max_length
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding this comment.")})
    if len(reason) > limit:
        raise ValidationError({"reason": _("Keep it to %(limit)d characters.") % {"limit": limit}})
    hide_comment(comment, reason, moderator)
    target = attach_target(comment).civitas_target
    notification_notify(
        recipients=[comment.user],
        kind=COMMENT_HIDDEN.key,
        data=comment_hidden_data(comment, reason),
        url=comment_url(comment) if target is not None else "",
    )


@transaction.atomic
def comment_restore(*, comment: XtdComment, moderator: User) -> None:
    """Publish a hidden or held comment again. Caller has checked `discussion.moderate_comment`."""
    state = CommentState.objects.select_for_update().filter(comment=comment).first()
    if state is None or state.deleted_at is not None:
        raise ValidationError(_("Deleted comments cannot be restored."))
    was_held = state.is_held and state.hidden_at is None
    CommentState.objects.filter(pk=state.pk).update(
        hidden_reason="", hidden_by=None, hidden_at=None, is_held=False, held_reason=""
    )
    XtdComment.norel_objects.filter(pk=comment.pk).update(is_removed=False, is_public=True)
    points_sync_on_commit(target=comment)
    if was_held:
        # Held comments were never announced: announce them once a moderator lets them through.
        comment = XtdComment.objects.select_related("civitas_state").get(pk=comment.pk)
        target = comment_target(comment)
        parent = XtdComment.norel_objects.filter(pk=comment.parent_id).exclude(pk=comment.pk).first()
        if target is not None:
            _notify_new_comment(comment=comment, target=target, parent=parent)


@transaction.atomic
def comment_react(*, comment: XtdComment, user: User, reaction: str | None) -> None:
    """Like, dislike, or (reaction=None) take back one's reaction. Caller has checked `discussion.react_to_comment`."""
    if reaction is not None and reaction not in REACTIONS:
        raise ValidationError({"reaction": _("Choose like or dislike.")})
    CommentFlag.objects.filter(comment=comment, user=user, flag__in=REACTIONS.values()).delete()
    if reaction is not None:
        CommentFlag.objects.create(comment=comment, user=user, flag=REACTIONS[reaction])
    points_sync_on_commit(target=comment)


# --- notifications ---------------------------------------------------------------------------


def comment_url(comment: XtdComment) -> str:
    return reverse("discussion:redirect", kwargs={"comment_id": comment.pk})


def _discussion_data(comment: XtdComment, target: Model) -> dict:
    return {
        "comment_id": comment.pk,
        "commenter_name": comment.user_name,
        "title": target.title,
    }


def comment_hidden_data(comment: XtdComment, reason: str) -> dict:
    target = getattr(comment, "civitas_target", None)
    return {"comment_id": comment.pk, "title": target.title if target else "", "reason": reason}


def _notify_new_comment(*, comment: XtdComment, target: Model, parent: XtdComment | None) -> None:
    author_id = comment.user_id
    data = _discussion_data(comment, target)
    url = comment_url(comment)
    reply_to = [] if parent is None or parent.user_id in (None, author_id) else [parent.user]
    reply_ids = {user.pk for user in reply_to}
    others = [*discussables[target].authors(target), *subscribers_of(target=target)]
    others = [user for user in others if user.pk != author_id and user.pk not in reply_ids]
    if reply_to:
        notification_notify(recipients=reply_to, kind=COMMENT_REPLY.key, data=data, url=url)
    if others:
        notification_notify(recipients=others, kind=COMMENT_POSTED.key, data=data, url=url)


@transaction.atomic
def comments_move(*, source: Model, target: Model) -> int:
    """Move the whole discussion of `source` to `target` (a merge), threads intact. Returns how many comments moved."""
    return comments_on(source).update(object_pk=str(target.pk))
