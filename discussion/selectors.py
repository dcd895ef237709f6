"""Reads for discussions: the thread as a tree, counts, one comment, the comments held for review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from accounts.rules import is_site_admin, is_verified
from agencies.models import Agency
from common.sanitize import render_markdown
from contests.anonymity import authors_hidden, authors_hidden_from
from discussion.discussables import attach_target, comments_on, contest_of, discussables
from discussion.rules import comment_max_level, comment_state, comment_status, discussion_is_open, manages_discussion

COMMENT_ORDERINGS = {
    "oldest": gettext_lazy("Oldest first"),
    "newest": gettext_lazy("Newest first"),
    "liked": gettext_lazy("Most liked"),
}
DEFAULT_COMMENT_ORDERING = "oldest"


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
        comments_on(target)
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


BLIND_AUTHOR_NAME = gettext_lazy("An author of the proposal")


def _blind_author_ids(target: Model, user) -> set[int]:
    """The target's authors, whose names a blind review hides from `user` (empty when nothing is hidden)."""
    contest = contest_of(target)
    if not authors_hidden(contest):
        return set()
    author_ids = {author.pk for author in discussables[target].authors(target)}
    return author_ids if authors_hidden_from(user, contest, author_ids) else set()


def comment_thread(*, target: Model, user, ordering: str = DEFAULT_COMMENT_ORDERING) -> list[CommentNode]:
    """The discussion on `target` as a tree of CommentNode (roots, each with its `children`), in one query.

    Deleted and hidden comments stay as placeholders so replies keep their place.
    Permissions per comment are computed without further queries (predicates cache
    what they look up on the user). Unknown orderings fall back to oldest first.
    """
    if ordering not in COMMENT_ORDERINGS:
        ordering = DEFAULT_COMMENT_ORDERING
    can_post = bool(user is not None and user.has_perm("discussion.add_comment", target))
    is_moderator = bool(
        user is not None and user.is_authenticated and (is_site_admin(user) or manages_discussion(user, target))
    )
    open_now = bool(discussion_is_open(user, target))
    verified = bool(is_verified(user))
    edit_window = timedelta(seconds=settings.COMMENTS_EDIT_WINDOW_SECONDS)
    now = timezone.now()
    max_level = comment_max_level()
    anonymous_ids = _blind_author_ids(target, user)
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in _thread_queryset(target, user):
        comment.civitas_target = target
        status = comment_status(comment)
        state = comment_state(comment)
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
        if comment.user_id in anonymous_ids and node.author_id is not None:
            node.author_id, node.author_name = None, str(BLIND_AUTHOR_NAME)
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
    return comments_on(target).filter(is_public=True, is_removed=False).count()


def comment_count_subquery(model: type[Model]) -> Coalesce:
    """An annotation for querysets of `model` (a discussable): each row's published comment count, in the same query."""
    counts = (
        XtdComment.norel_objects.filter(
            content_type=ContentType.objects.get_for_model(model),
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
    attach_target(comment)
    return comment if comment.civitas_target is not None else None


def comment_list_held(*, agency: Agency) -> list[XtdComment]:
    """Comments held by the agency's blocklist, oldest first (200 at most), each with its target attached."""
    held = list(
        XtdComment.norel_objects.filter(
            civitas_state__is_held=True,
            civitas_state__hidden_at__isnull=True,
            civitas_state__deleted_at__isnull=True,
        )
        .select_related("user", "civitas_state", "content_type")
        .order_by("submit_date", "pk")
    )
    # Targets of every discussable kind at once, then only those of the agency's contests.
    by_model: dict[type, set[int]] = {}
    for comment in held:
        if str(comment.object_pk).isdigit():
            by_model.setdefault(comment.content_type.model_class(), set()).add(int(comment.object_pk))
    targets = {
        model: discussables[model].queryset().in_bulk(ids) for model, ids in by_model.items() if model in discussables
    }
    comments = []
    for comment in held:
        target = targets.get(comment.content_type.model_class(), {}).get(int(comment.object_pk or 0))
        if target is not None and contest_of(target).agency_id == agency.pk:
            comment.civitas_target = target
            comment.rendered_html = render_markdown(comment.comment)
            comments.append(comment)
    return comments[:200]


def comment_list_of_person(*, user, limit: int = 200) -> list[XtdComment]:
    """The user's published comments on discussions anyone may see, newest first, each with its target attached.

    Held, hidden and deleted comments are left out, and so are comments on drafts or hidden proposals.
    """
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415

    comments = list(
        XtdComment.norel_objects.filter(user=user, is_public=True, is_removed=False)
        .exclude(civitas_state__is_held=True)
        .exclude(civitas_state__hidden_at__isnull=False)
        .exclude(civitas_state__deleted_at__isnull=False)
        .select_related("content_type")
        .order_by("-submit_date", "-pk")[:limit]
    )
    by_model: dict[type, set[int]] = {}
    for comment in comments:
        if str(comment.object_pk).isdigit():
            by_model.setdefault(comment.content_type.model_class(), set()).add(int(comment.object_pk))
    targets = {
        model: discussables[model].queryset().in_bulk(ids) for model, ids in by_model.items() if model in discussables
    }
    anonymous = AnonymousUser()
    shown = []
    for comment in comments:
        model = comment.content_type.model_class()
        target = targets.get(model, {}).get(int(comment.object_pk or 0))
        if target is not None and discussables[model].is_visible(anonymous, target):
            comment.civitas_target = target
            comment.rendered_html = render_markdown(comment.comment)
            shown.append(comment)
    return shown
