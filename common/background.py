"""Enqueue Celery tasks from services: after commit, and never failing the request that asked.

Services schedule their side effects with `task_on_commit`. With a broker (REDIS_URL) the task
is published once the transaction commits; without one (the embedded default) Celery runs it
eagerly right there. Either way an error is logged and swallowed: the request's own write is
already committed, and a failed side effect must not turn it into an error page.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils.module_loading import import_string

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


class TaskBatcher:
    """Items for one task, gathered for `window` seconds and sent as one task: one broker publish
    instead of one per caller, for a task that takes a list (`argument`) and is safe to run twice.

    Any thread may `add`; a daemon thread per process publishes each window and stops when idle.
    When Celery runs tasks eagerly (the embedded default, the tests) the task runs at once, in the
    caller. What is still held when the interpreter exits is published then. A process killed
    with SIGKILL loses at most one window of items: use it only for facts that are not the
    request's own write (that is committed before `add`).
    """

    def __init__(self, task_path: str, *, argument: str, window: float) -> None:
        self._task_path, self._argument, self._window = task_path, argument, window
        self._items: list = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        atexit.register(self.flush)

    def add(self, items: list) -> None:
        if current_app.conf.task_always_eager:
            task_enqueue(import_string(self._task_path), **{self._argument: items})
            return
        with self._lock:
            self._items.extend(items)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"batch {self._task_path}", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        """Publish what is held now (the flusher thread each window; atexit; tests)."""
        with self._lock:
            items, self._items = self._items, []
        if items:
            task_enqueue(import_string(self._task_path), **{self._argument: items})

    def busy(self) -> bool:
        """Items held, or the flusher thread still running (it may be publishing what it took)."""
        with self._lock:
            return bool(self._items) or self._thread is not None

    def _run(self) -> None:
        while True:
            time.sleep(self._window)
            self.flush()
            with self._lock:  # an `add` after the flush above finds this thread still running, or none
                if not self._items:
                    self._thread = None
                    return
