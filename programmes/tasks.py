"""Background work on the catalogue."""

from celery import shared_task

from .services.future_dates import cohort_announcements_send
from .services.next_starts import next_starts_refresh


@shared_task
def cohort_announcements_task() -> int:
    return cohort_announcements_send()


@shared_task
def next_starts_refresh_task() -> int:
    return next_starts_refresh()
