"""Enqueue Celery tasks from services: after commit, and never failing the request that asked.

Services schedule their side effects with `task_on_commit`. With a broker (REDIS_URL) the task
is published once the transaction commits; without one (the embedded default) Celery runs it
eagerly right there. Either way an error is logged and swallowed: the request's own write is
already committed, and a failed side effect must not turn it into an error page.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def task_enqueue(task, *args, run_here_if_broker_down: bool = False, **kwargs) -> None:
    """Publish `task(*args, **kwargs)` now. If the broker cannot take it, log, and with
    `run_here_if_broker_down` run it in this process instead (for tasks whose only work is
    writing rows that other, recoverable tasks then deliver)."""
    try:
        task.delay(*args, **kwargs)
    except Exception:
        logger.exception("Could not enqueue %s", task.name)
        if run_here_if_broker_down:
            try:
                task.apply(args=args, kwargs=kwargs)
            except Exception:
                logger.exception("Running %s in-process failed too", task.name)


def task_on_commit(task, *args, run_here_if_broker_down: bool = False, **kwargs) -> None:
    """`task_enqueue` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(task_enqueue, task, *args, run_here_if_broker_down=run_here_if_broker_down, **kwargs))
