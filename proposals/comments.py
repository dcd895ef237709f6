"""Threaded discussion on proposals and contests: permissions, writes, reads and notifications.

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import rules
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from accounts.models import Notification, User
from accounts.notifications import NOTIFICATION_RENDERERS, notification_notify
from accounts.rules import is_site_admin, is_verified
from agencies.models import Agency
from agencies.rules import is_agency_manager
from common.ratelimit import rates_exceeded
from common.sanitize import render_markdown
from contests.models import Contest
from engagement.hooks import points_sync_on_commit
from proposals.models import (
    CommentBlocklist,
    CommentNotificationPreference,
    CommentState,
    DiscussionFollow,
    Proposal,
    ProposalCoAuthor,
)
from proposals.moderation import ModerationTarget, register_moderation_target
from proposals.rules import is_public_proposal

COMMENT_ORDERINGS = {
    "oldest": gettext_lazy("Oldest first"),
    "newest": gettext_lazy("Newest first"),
    "liked": gettext_lazy("Most liked"),
}
DEFAULT_COMMENT_ORDERING = "oldest"
REACTIONS = {"like": LIKEDIT_FLAG, "dislike": DISLIKEDIT_FLAG}
USER_NAME_MAX_LENGTH = XtdComment._meta.get_field("user_name").max_length
UNSUBSCRIBE_SALT = "proposals.comments.unsubscribe"


class CommentRateLimited(Exception):
    """Too many comments from one account or one address in the configured window."""


def comment_max_length() -> int:
    return getattr(settings, "COMMENT_MAX_LENGTH", 3000)


def comment_max_level() -> int:
    return settings.COMMENTS_XTD_MAX_THREAD_LEVEL


# --- targets ---------------------------------------------------------------------------------


def contest_of(target: Model) -> Contest:
    """The contest a discussion belongs to: the contest itself, or the proposal's contest."""
    return target if isinstance(target, Contest) else target.contest


def comments_open_for_contest(contest: Contest, now=None) -> bool:
    """Published, and before the contest date named by COMMENTS_OPEN_UNTIL (voting close by default)."""
    now = now or timezone.now()
    closes_at = getattr(contest, settings.COMMENTS_OPEN_UNTIL, None) or contest.voting_closes_at
    return bool(contest.is_published and now < closes_at)


def _target_is_public(target: Model) -> bool:
    if isinstance(target, Proposal):
        return bool(is_public_proposal(None, target))
    return bool(target.is_published)


def target_url(target: Model) -> str:
    return target.get_absolute_url()


def _target_title(target: Model) -> str:
    return target.title


def comment_target(comment: XtdComment) -> Model | None:
    """The proposal or contest a comment belongs to, with its contest and agency loaded."""
    model = comment.content_type.model_class()
    if model is Proposal:
        return Proposal.objects.select_related("contest__agency", "author").filter(pk=comment.object_pk).first()
    if model is Contest:
        return Contest.objects.select_related("agency").filter(pk=comment.object_pk).first()
    return None


def _attach_target(comment: XtdComment) -> XtdComment:
    if not hasattr(comment, "civitas_target"):
        comment.civitas_target = comment_target(comment)
    return comment


def _state(comment: XtdComment) -> CommentState:
    try:
        return comment.civitas_state
    except CommentState.DoesNotExist:
        return CommentState(comment=comment)


def comment_status(comment: XtdComment) -> str:
    """visible, held (waits for a moderator), deleted (by its author) or hidden (by moderators)."""
    state = _state(comment)
    if state.hidden_at is not None:
        return "hidden"
    if state.deleted_at is not None or comment.is_removed:
        return "deleted"
    if state.is_held or not comment.is_public:
        return "held"
    return "visible"


# --- permissions -----------------------------------------------------------------------------


@rules.predicate
def discussion_is_open(user, target) -> bool:
    """The proposal or contest is public and its contest still takes comments."""
    return target is not None and _target_is_public(target) and comments_open_for_contest(contest_of(target))


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(comment is not None and user and user.is_authenticated and comment.user_id == user.pk)


@rules.predicate
def comment_is_visible(user, comment) -> bool:
    return comment is not None and comment_status(comment) == "visible"


@rules.predicate
def comment_in_edit_window(user, comment) -> bool:
    window = timedelta(seconds=settings.COMMENTS_EDIT_WINDOW_SECONDS)
    return comment is not None and timezone.now() < comment.submit_date + window


@rules.predicate
def comment_discussion_open(user, comment) -> bool:
    return comment is not None and discussion_is_open(user, getattr(_attach_target(comment), "civitas_target", None))


@rules.predicate
def manages_comment_contest(user, comment) -> bool:
    """An admin or manager of the agency running the contest the comment belongs to."""
    if comment is None:
        return False
    target = _attach_target(comment).civitas_target
    return target is not None and is_agency_manager(user, contest_of(target).agency)


@rules.predicate
def discussion_is_public(user, target) -> bool:
    return target is not None and _target_is_public(target)


rules.add_perm("proposals.add_comment", is_verified & discussion_is_open)
rules.add_perm("proposals.follow_discussion", is_verified & discussion_is_public)
rules.add_perm(
    "proposals.change_comment", is_verified & is_comment_author & comment_is_visible & comment_in_edit_window
)


@rules.predicate
def comment_is_deletable(user, comment) -> bool:
    """Visible or still waiting for review (deleted and hidden comments stay as they are)."""
    return comment is not None and comment_status(comment) in ("visible", "held")


rules.add_perm("proposals.delete_comment", is_verified & is_comment_author & comment_is_deletable)
rules.add_perm(
    "proposals.react_to_comment", is_verified & ~is_comment_author & comment_is_visible & comment_discussion_open
)
rules.add_perm("proposals.report_comment", is_verified & ~is_comment_author & comment_is_visible)
rules.add_perm("proposals.moderate_comment", manages_comment_contest | is_site_admin)


# --- rate limits and blocklist ---------------------------------------------------------------


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


def _comments_on(target: Model) -> QuerySet[XtdComment]:
    return XtdComment.norel_objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk), site_id=settings.SITE_ID
    )


@transaction.atomic
def comment_post(
    *,
    author: User,
    target: Model,
    text: str,
    parent: XtdComment | None = None,
    followup: bool = True,
    ip_address: str | None = None,
) -> XtdComment:
    """Post a comment (or a reply to `parent`) on a proposal or a contest.

    Caller has checked `proposals.add_comment` on `target`. Raises ValidationError for
    empty or over-long text, a parent that is not a visible comment of the same
    discussion or is already at the deepest level; CommentRateLimited when the author
    or their address posts too fast. A comment matching the agency's blocklist is held
    for review (not public) instead of published. Notifies the proposal's authors, the
    parent's author and the discussion's followers after commit.
    """
    text = _clean_text(text)
    if parent is not None:
        parent = _comments_on(target).select_related("civitas_state").filter(pk=parent.pk).first()
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
    if not held_term:
        _notify_new_comment(comment=comment, target=target, parent=parent)
    return comment


@transaction.atomic
def comment_edit(*, comment: XtdComment, editor: User, text: str) -> XtdComment:
    """Change a comment's text. Caller has checked `proposals.change_comment` (author, within the edit window).

    A new text matching the blocklist puts the comment on hold again.
    """
    text = _clean_text(text)
    target = _attach_target(comment).civitas_target
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

    Caller has checked `proposals.delete_comment`.
    """
    XtdComment.norel_objects.filter(pk=comment.pk).update(comment="", is_removed=True)
    CommentState.objects.update_or_create(comment=comment, defaults={"deleted_at": timezone.now()})
    CommentFlag.objects.filter(comment=comment).delete()
    points_sync_on_commit(target=comment, reason="deleted")


def _hide(comment: XtdComment, reason: str, moderator: User | None = None) -> None:
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
    """Hide a comment with a public reason and tell its author. Caller has checked `proposals.moderate_comment`."""
    reason = (reason or "").strip()
    limit = CommentState._meta.get_field("hidden_reason").max_length
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding this comment.")})
    if len(reason) > limit:
        raise ValidationError({"reason": _("Keep it to %(limit)d characters.") % {"limit": limit}})
    _hide(comment, reason, moderator)
    target = _attach_target(comment).civitas_target
    notification_notify(
        recipients=[comment.user],
        kind=Notification.Kind.COMMENT_HIDDEN,
        data=_comment_hidden_data(comment, reason),
        url=comment_url(comment) if target is not None else "",
    )


@transaction.atomic
def comment_restore(*, comment: XtdComment, moderator: User) -> None:
    """Publish a hidden or held comment again. Caller has checked `proposals.moderate_comment`."""
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
    """Like, dislike, or (reaction=None) take back one's reaction. Caller has checked `proposals.react_to_comment`."""
    if reaction is not None and reaction not in REACTIONS:
        raise ValidationError({"reaction": _("Choose like or dislike.")})
    CommentFlag.objects.filter(comment=comment, user=user, flag__in=REACTIONS.values()).delete()
    if reaction is not None:
        CommentFlag.objects.create(comment=comment, user=user, flag=REACTIONS[reaction])
    points_sync_on_commit(target=comment)


# --- notifications ---------------------------------------------------------------------------


def comment_url(comment: XtdComment) -> str:
    return reverse("proposals_comments:redirect", kwargs={"comment_id": comment.pk})


def _discussion_data(comment: XtdComment, target: Model) -> dict:
    return {
        "comment_id": comment.pk,
        "commenter_name": comment.user_name,
        "title": _target_title(target),
        "is_contest": isinstance(target, Contest),
    }


def _comment_hidden_data(comment: XtdComment, reason: str) -> dict:
    target = getattr(comment, "civitas_target", None)
    return {"comment_id": comment.pk, "title": _target_title(target) if target else "", "reason": reason}


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


NOTIFICATION_RENDERERS[Notification.Kind.COMMENT_POSTED] = _render_comment_posted
NOTIFICATION_RENDERERS[Notification.Kind.COMMENT_REPLY] = _render_comment_reply
NOTIFICATION_RENDERERS[Notification.Kind.COMMENT_HIDDEN] = _render_comment_hidden


def _follows_of(target: Model) -> QuerySet[DiscussionFollow]:
    return DiscussionFollow.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk)
    )


def discussion_followers(*, target: Model) -> list[User]:
    """People who follow the discussion: with the Follow button, or by a visible comment with `followup` on."""
    commenter_ids = _comments_on(target).filter(followup=True, is_public=True, is_removed=False).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=commenter_ids) | Q(pk__in=_follows_of(target).values("user_id")), is_active=True)
    )


def discussion_is_followed(*, user, target: Model) -> bool:
    """Whether `user` gets notified of new comments on `target` (one query; False for anonymous visitors)."""
    if not (user and user.is_authenticated):
        return False
    return (
        _follows_of(target).filter(user_id=user.pk).exists()
        or _comments_on(target).filter(user_id=user.pk, followup=True, is_removed=False).exists()
    )


@transaction.atomic
def discussion_follow_set(*, user: User, target: Model, follow: bool) -> None:
    """Follow or stop following a discussion. Stopping also turns off `followup` on the user's comments there.

    Caller has checked `proposals.follow_discussion` on `target`.
    """
    if follow:
        DiscussionFollow.objects.get_or_create(
            user=user, content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk)
        )
    else:
        _follows_of(target).filter(user=user).delete()
        _comments_on(target).filter(user=user, followup=True).update(followup=False)


def _proposal_authors(proposal: Proposal) -> list[User]:
    coauthors = User.objects.filter(pk__in=ProposalCoAuthor.objects.filter(proposal=proposal).values("user_id"))
    return [proposal.author, *coauthors]


def _notify_new_comment(*, comment: XtdComment, target: Model, parent: XtdComment | None) -> None:
    author_id = comment.user_id
    data = _discussion_data(comment, target)
    url = comment_url(comment)
    reply_to = [] if parent is None or parent.user_id in (None, author_id) else [parent.user]
    reply_ids = {user.pk for user in reply_to}
    others = [
        *(_proposal_authors(target) if isinstance(target, Proposal) else []),
        *discussion_followers(target=target),
    ]
    others = [user for user in others if user.pk != author_id and user.pk not in reply_ids]
    notifications = []
    if reply_to:
        notifications += notification_notify(
            recipients=reply_to, kind=Notification.Kind.COMMENT_REPLY, data=data, url=url, send_email=False
        )
    if others:
        notifications += notification_notify(
            recipients=others, kind=Notification.Kind.COMMENT_POSTED, data=data, url=url, send_email=False
        )
    if notifications:
        transaction.on_commit(
            partial(
                _send_comment_emails,
                notification_ids=[notification.pk for notification in notifications],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        )


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_from_token(token: str) -> User | None:
    """The user a (valid, untampered) unsubscribe token was made for, or None."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    return User.objects.filter(pk=payload.get("user")).first()


@transaction.atomic
def comment_email_preference_set(*, user: User, email_on_comments: bool) -> CommentNotificationPreference:
    preference, _created = CommentNotificationPreference.objects.update_or_create(
        user=user, defaults={"email_on_comments": email_on_comments}
    )
    return preference


def _absolute(path: str) -> str:
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def _send_comment_emails(*, notification_ids: list[int], language: str) -> None:
    """One email per notification whose recipient wants comment emails, each with its unsubscribe link."""
    from accounts.notifications import EmailMode, email_modes, notification_text

    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    opted_out = set(
        CommentNotificationPreference.objects.filter(
            user__in=[notification.recipient_id for notification in notifications], email_on_comments=False
        ).values_list("user_id", flat=True)
    )
    # Those who chose the daily digest (or no email) get comment news there, not one email each.
    modes = email_modes({notification.recipient_id for notification in notifications})
    opted_out |= {user_id for user_id, mode in modes.items() if mode != EmailMode.EACH}
    messages = []
    with translation.override(language):
        for notification in notifications:
            recipient = notification.recipient
            if recipient.pk in opted_out or not (recipient.is_active and recipient.email):
                continue
            unsubscribe_url = _absolute(
                reverse("proposals_comments:unsubscribe", kwargs={"token": unsubscribe_token(recipient)})
            )
            context = {
                "recipient_name": recipient.public_name,
                "text": notification_text(notification),
                "url": _absolute(notification.url) if notification.url else "",
                "unsubscribe_url": unsubscribe_url,
            }
            messages.append(
                EmailMessage(
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification_text(notification)}"[:200],
                    body=render_to_string("proposals/comments/email_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[recipient.email],
                    headers={
                        "List-Unsubscribe": f"<{unsubscribe_url}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                )
            )
    if messages:
        get_connection().send_messages(messages)
        sent = [notification.pk for notification in notifications if notification.recipient_id not in opted_out]
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


# --- moderation (reports reuse proposals.moderation) -------------------------------------------


def _comment_reportable(comment: XtdComment) -> bool:
    comment = XtdComment.norel_objects.select_related("civitas_state").filter(pk=comment.pk).first()
    return comment is not None and comment_status(comment) == "visible"


def _comment_contest(comment: XtdComment) -> Contest:
    return contest_of(_attach_target(comment).civitas_target)


register_moderation_target(
    "django_comments_xtd.xtdcomment",
    ModerationTarget(
        contest=_comment_contest,
        is_reportable=_comment_reportable,
        hide=lambda comment, reason: _hide(comment, reason),
        authors=lambda comment: [comment.user] if comment.user_id else [],
        notify_kind=Notification.Kind.COMMENT_HIDDEN,
        notification_data=lambda comment, reason: _comment_hidden_data(_attach_target(comment), reason),
        queryset=lambda: XtdComment.norel_objects.select_related("user", "civitas_state"),
    ),
)


# --- reads -----------------------------------------------------------------------------------


@dataclass
class CommentNode:
    """One comment as a page or the API shows it. `html` is sanitised, and empty unless the comment is visible."""

    id: int
    parent_id: int | None
    level: int
    author_id: int | None
    author_name: str
    submitted_at: object
    edited: bool
    status: str
    html: str
    hidden_reason: str
    likes: int
    dislikes: int
    my_reaction: str | None
    can_edit: bool = False
    can_delete: bool = False
    can_reply: bool = False
    can_react: bool = False
    can_report: bool = False
    can_moderate: bool = False
    text: str = ""
    children: list[CommentNode] = field(default_factory=list)


def _thread_queryset(target: Model, user) -> QuerySet[XtdComment]:
    visible = Q(is_public=True)
    if user is not None and user.is_authenticated:
        visible |= Q(user_id=user.pk)  # authors see their own comments waiting for review
    comments = (
        _comments_on(target)
        .filter(visible)
        .select_related("user", "civitas_state")
        .annotate(
            like_count=Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG), distinct=True),
            dislike_count=Count("flags", filter=Q(flags__flag=DISLIKEDIT_FLAG), distinct=True),
        )
        .order_by("thread_id", "order")
    )
    if user is not None and user.is_authenticated:
        mine = CommentFlag.objects.filter(comment=OuterRef("pk"), user_id=user.pk)
        comments = comments.annotate(
            i_like=Exists(mine.filter(flag=LIKEDIT_FLAG)), i_dislike=Exists(mine.filter(flag=DISLIKEDIT_FLAG))
        )
    else:
        comments = comments.annotate(i_like=Value(False), i_dislike=Value(False))
    return comments


def _sort_key(ordering: str):
    if ordering == "newest":
        return lambda node: (-node.submitted_at.timestamp(), -node.id)
    if ordering == "liked":
        return lambda node: (-node.likes, node.submitted_at, node.id)
    return lambda node: (node.submitted_at, node.id)


def comment_thread(*, target: Model, user, ordering: str = DEFAULT_COMMENT_ORDERING) -> list[CommentNode]:
    """The discussion on `target` as a tree of CommentNode (roots, each with its `children`), in one query.

    Deleted and hidden comments stay as placeholders so replies keep their place.
    Permissions per comment are computed without further queries (predicates cache
    what they look up on the user). Unknown orderings fall back to oldest first.
    """
    if ordering not in COMMENT_ORDERINGS:
        ordering = DEFAULT_COMMENT_ORDERING
    can_post = bool(user is not None and user.has_perm("proposals.add_comment", target))
    is_moderator = bool(
        user is not None
        and user.is_authenticated
        and (is_site_admin(user) or is_agency_manager(user, contest_of(target).agency))
    )
    open_now = bool(discussion_is_open(user, target))
    verified = bool(is_verified(user))
    edit_window = timedelta(seconds=settings.COMMENTS_EDIT_WINDOW_SECONDS)
    now = timezone.now()
    max_level = comment_max_level()
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in _thread_queryset(target, user):
        comment.civitas_target = target
        status = comment_status(comment)
        state = _state(comment)
        own = user is not None and user.is_authenticated and comment.user_id == user.pk
        visible = status == "visible"
        shows_text = visible or (status == "held" and own)
        node = CommentNode(
            id=comment.pk,
            parent_id=comment.parent_id if comment.parent_id != comment.pk else None,
            level=comment.level,
            author_id=comment.user_id if visible or status == "held" else None,
            author_name=(comment.user.public_name if comment.user_id else comment.user_name)
            if visible or status == "held"
            else "",
            submitted_at=comment.submit_date,
            edited=state.edited_at is not None,
            status=status,
            html=render_markdown(comment.comment) if shows_text else "",
            text=comment.comment if own and shows_text else "",
            hidden_reason=state.hidden_reason if status == "hidden" else "",
            likes=comment.like_count if visible else 0,
            dislikes=comment.dislike_count if visible else 0,
            my_reaction="like" if comment.i_like else "dislike" if comment.i_dislike else None,
            can_edit=bool(verified and own and visible and now < comment.submit_date + edit_window),
            can_delete=bool(verified and own and status in ("visible", "held")),
            can_reply=bool(can_post and visible and comment.level < max_level),
            can_react=bool(verified and open_now and visible and not own),
            can_report=bool(verified and visible and not own),
            can_moderate=is_moderator,
        )
        nodes[node.id] = node
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif node.parent_id is None:
            roots.append(node)
        # A reply whose parent is not shown (held for someone else's review) is left out with it.

    key = _sort_key(ordering)

    def sort(siblings: list[CommentNode]) -> list[CommentNode]:
        siblings.sort(key=key)
        for node in siblings:
            sort(node.children)
        return siblings

    return sort(roots)


def comment_thread_flat(roots: Iterable[CommentNode]) -> list[CommentNode]:
    """The tree in reading order (each comment followed by its replies), for a page to render as a list."""
    flat: list[CommentNode] = []
    stack = list(reversed(list(roots)))
    while stack:
        node = stack.pop()
        flat.append(node)
        stack.extend(reversed(node.children))
    return flat


def comment_count(*, target: Model) -> int:
    """Published comments on the proposal or contest (not held, deleted or hidden)."""
    return _comments_on(target).filter(is_public=True, is_removed=False).count()


def comment_count_subquery() -> Coalesce:
    """An annotation for proposal querysets: each proposal's published comment count, in the same query."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    counts = (
        XtdComment.norel_objects.filter(
            content_type=proposal_type,
            object_pk=Cast(OuterRef("pk"), output_field=XtdComment._meta.get_field("object_pk")),
            site_id=settings.SITE_ID,
            is_public=True,
            is_removed=False,
        )
        .order_by()
        .values("object_pk")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def comment_get(*, comment_id: int) -> XtdComment | None:
    """A comment with its state and author, and its target attached (`civitas_target`), or None."""
    comment = (
        XtdComment.norel_objects.select_related("user", "civitas_state", "content_type").filter(pk=comment_id).first()
    )
    if comment is None:
        return None
    _attach_target(comment)
    return comment if comment.civitas_target is not None else None


def comment_list_held(*, agency: Agency) -> list[XtdComment]:
    """Comments held by the agency's blocklist, oldest first, each with its target attached."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    contest_type = ContentType.objects.get_for_model(Contest)
    as_text = XtdComment._meta.get_field("object_pk")
    contest_ids = Contest.objects.filter(agency=agency).annotate(key=Cast("pk", as_text)).values("key")
    proposal_ids = Proposal.objects.filter(contest__agency=agency).annotate(key=Cast("pk", as_text)).values("key")
    comments = list(
        XtdComment.norel_objects.filter(
            Q(content_type=proposal_type, object_pk__in=proposal_ids)
            | Q(content_type=contest_type, object_pk__in=contest_ids),
            civitas_state__is_held=True,
            civitas_state__hidden_at__isnull=True,
            civitas_state__deleted_at__isnull=True,
        )
        .select_related("user", "civitas_state", "content_type")
        .order_by("submit_date", "pk")[:200]
    )
    targets = {
        proposal_type.pk: Proposal.objects.select_related("contest__agency").in_bulk(
            [int(comment.object_pk) for comment in comments if comment.content_type_id == proposal_type.pk]
        ),
        contest_type.pk: Contest.objects.select_related("agency").in_bulk(
            [int(comment.object_pk) for comment in comments if comment.content_type_id == contest_type.pk]
        ),
    }
    for comment in comments:
        comment.civitas_target = targets[comment.content_type_id].get(int(comment.object_pk))
        comment.rendered_html = render_markdown(comment.comment)
    return comments


def comments_move_on_merge(*, duplicate: Proposal, target: Proposal) -> None:
    """Merge handler (proposals.similarity.MERGE_HANDLERS): the duplicate's discussion moves to the target, threads intact."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    XtdComment.objects.filter(content_type=proposal_type, object_pk=str(duplicate.pk)).update(object_pk=str(target.pk))
