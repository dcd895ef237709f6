"""What can be reported: each kind of content registers how moderation deals with it.

The app that owns the content registers a `ModerationTarget` for its model class in its
`AppConfig.ready()` (proposals: Proposal; discussion: comments). Reports, the queue and its
pages are generic and never name a content model.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from common.registry import Registry


@dataclass(frozen=True)
class ModerationTarget:
    """How moderation deals with one kind of content.

    contest: the contest the object belongs to (whose agency moderates it).
    is_reportable: whether citizens may report it now (public, not yet hidden).
    hide: hide it with a public reason (a write, inside the caller's transaction).
    authors: the users to tell when it is hidden.
    notify_kind: the notification kind sent to them, and `notification_data` its facts.
    queryset: how the moderation pages load such objects (with what their links and titles need).
    """

    contest: Callable[[Model], object]
    is_reportable: Callable[[Model], bool]
    hide: Callable[[Model, str], None]
    authors: Callable[[Model], list]
    notify_kind: str
    notification_data: Callable[[Model, str], dict]
    queryset: Callable[[], QuerySet]


moderation_targets: Registry[type[Model], ModerationTarget] = Registry("moderation targets")
