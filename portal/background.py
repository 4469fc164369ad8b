"""Queue background work from a service without importing the task.

Services never import tasks (tasks import services): they name the task and
`enqueue_on_commit` publishes it once the caller's transaction commits. If the
broker cannot take it, the work is not lost: every task queued this way has a
periodic sweep behind it (outbox delivery, pending exports) that finds the rows
the task would have handled. So a dead broker is logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# One quick connection attempt and no back-off. Left to itself kombu keeps
# retrying a dead broker for its connection timeout (about six seconds a call),
# and a request that queues three emails would hang for eighteen.
_CONNECT_ONCE = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "timeout": 2}


def enqueue(task_name: str, *args: Any, countdown: float = 0) -> bool:
    """Publish `task_name`, to run `countdown` seconds from now (0: at once).

    True if the broker took it (or it ran eagerly; eagerly there is no waiting).
    """
    if task_name not in current_app.tasks:
        # Autodiscovery is lazy: the web process has not imported the apps' tasks yet.
        current_app.loader.import_default_modules()
    task = current_app.tasks[task_name]
    if current_app.conf.task_always_eager:
        task.apply_async(args)
        return True
    try:
        with current_app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(**_CONNECT_ONCE)
            task.apply_async(args, retry=False, producer=producer, countdown=countdown)
    except (BrokerUnavailable, ConnectionError, OSError) as error:
        logger.warning(
            "Could not queue %s (%s); its periodic sweep will pick it up.", task_name, error
        )
        return False
    return True


def runs_on_workers() -> bool:
    """True when a queued task goes to a worker process; False when it runs in the caller."""
    return not current_app.conf.task_always_eager


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Publish `task_name` with primitive `args` after the current transaction commits."""
    transaction.on_commit(lambda: enqueue(task_name, *args), robust=True)


class _OnceOnCommit:
    """A callback registered by `call_once_on_commit`, recognisable among the pending ones."""

    def __init__(self, func: Callable[[], object]) -> None:
        self.func = func
        # Tests run callbacks inside a transaction that never commits
        # (captureOnCommitCallbacks), which leaves them in the pending list.
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        self.func()


def call_once_on_commit(func: Callable[[], object]) -> None:
    """Run `func` after the current transaction commits, once however often it is asked.

    A callback registered inside a savepoint that is rolled back is dropped with it by
    Django, so a later call in the surviving transaction registers it again.
    Outside a transaction it runs at once, as `transaction.on_commit` does.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, pending, _robust in connection.run_on_commit:
            if isinstance(pending, _OnceOnCommit) and pending.func is func and not pending.ran:
                return
    transaction.on_commit(_OnceOnCommit(func), robust=True)
