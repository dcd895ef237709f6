"""What can be discussed: each kind of target registers how the discussion app finds and judges it.

A comment points at its target through comments-xtd's content type and object key. The app
that owns the target registers a `Discussable` for its model class in its `AppConfig.ready()`
(contests are registered by this app itself, proposals by proposals.apps), so discussion never
imports the apps above it. URLs name a target by `segment` and key: /comments/proposals/17/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy
from django_comments_xtd.models import XtdComment

from common.registry import Registry
from contests.models import Contest
from contests.selectors import contest_visible_to


@dataclass(frozen=True)
class Discussable:
    model: type[Model]
    segment: str  # URL segment: /comments/<segment>/<key>/
    lookup: Callable[[str, object], Model | None]  # (key, user): the target if the user may see it, else None
    is_visible: Callable[[object, Model], bool]  # (user, target): may the user read its discussion
    is_public: Callable[[Model], bool]  # open to everyone (only public targets take comments)
    contest: Callable[[Model], Contest]  # whose dates close the discussion, whose agency moderates it
    authors: Callable[[Model], list]  # who hears of every new comment (a proposal's authors)
    queryset: Callable[[], QuerySet]  # targets with their contest and agency loaded
    url_key: Callable[[Model], str]
    heading: object = gettext_lazy("Comments")  # the thread's heading on the target's page


discussables: Registry[type[Model], Discussable] = Registry("discussables")


def discussable_register(discussable: Discussable) -> None:
    discussables.register(discussable.model, discussable)


def discussable_for_segment(segment: str) -> Discussable | None:
    return next((entry for entry in discussables.values() if entry.segment == segment), None)


def contest_of(target: Model) -> Contest:
    """The contest a discussion belongs to."""
    return discussables[target].contest(target)


def comments_on(target: Model) -> QuerySet[XtdComment]:
    """Every comment row of the target's discussion (any state)."""
    return XtdComment.norel_objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_pk=str(target.pk), site_id=settings.SITE_ID
    )


def comment_target(comment: XtdComment) -> Model | None:
    """The target a comment belongs to, with its contest and agency loaded; None if it is gone or not discussable."""
    model = comment.content_type.model_class()
    discussable = discussables.get(model) if model is not None else None
    if discussable is None or not str(comment.object_pk).isdigit():
        return None
    return discussable.queryset().filter(pk=int(comment.object_pk)).first()


def attach_target(comment: XtdComment) -> XtdComment:
    """Load the comment's target once, as `comment.civitas_target`."""
    if not hasattr(comment, "civitas_target"):
        comment.civitas_target = comment_target(comment)
    return comment


# --- contests, discussed on their own page ----------------------------------------------------------


def _contest_lookup(key: str, user) -> Contest | None:
    return contest_visible_to(slug=key, user=user)


def _contest_is_visible(user, contest: Contest) -> bool:
    return bool(user.has_perm("contests.view_contest", contest))


def _contest_is_public(contest: Contest) -> bool:
    return bool(contest.is_published)


def _itself(contest: Contest) -> Contest:
    return contest


def _nobody(target: Model) -> list:
    return []


def _contests() -> QuerySet:
    return Contest.objects.select_related("agency")


def _slug(contest: Contest) -> str:
    return contest.slug


CONTEST_DISCUSSABLE = Discussable(
    model=Contest,
    segment="contests",
    lookup=_contest_lookup,
    is_visible=_contest_is_visible,
    is_public=_contest_is_public,
    contest=_itself,
    authors=_nobody,
    queryset=_contests,
    url_key=_slug,
    heading=gettext_lazy("Discussion"),
)
