"""Where points come from: each kind of content registers who deserves which award for it.

The app that owns the content registers a `PointSource` for its model class in its
`AppConfig.ready()` (proposals: Proposal; discussion: comments; jury: reviews). The ledger
(engagement.services.points_sync) never names a content model.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from common.registry import Registry

# {(action, user id): contest id or None}: the awards the content earns now.
Deserved = dict[tuple[str, int], int | None]


@dataclass(frozen=True)
class PointSource:
    fresh: Callable[[int], Model | None]  # the object re-read by primary key (None once it is gone)
    deserved: Callable[[Model], Deserved]  # who deserves what for it now
    actions: tuple[str, ...]  # the actions it can earn: awards of other actions on it are left alone


point_sources: Registry[type[Model], PointSource] = Registry("point sources")
