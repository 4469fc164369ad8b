"""Background delivery of the outbox. Thin: each task calls a service."""

from celery import shared_task

from .outbox import outbox_cleanup, outbox_run


@shared_task
def outbox_deliver_task() -> int:
    return outbox_run()


@shared_task
def outbox_cleanup_task() -> int:
    return outbox_cleanup()
