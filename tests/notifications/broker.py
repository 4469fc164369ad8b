"""Point Celery at a broker nobody is listening on, for as long as a test needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portal.celery import app as celery_app

# Nothing listens on port 1: connecting is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def _forget_broker_connections() -> None:
    """Make the next publish pick its pool by the configured URL (kombu keeps one per URL)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def unreachable_broker() -> Iterator[None]:
    """Tasks are published (not run eagerly) to a broker that refuses connections."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = UNREACHABLE_BROKER, False
    _forget_broker_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_broker_connections()
