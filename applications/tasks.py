"""Background work on places. Thin: primitive ids in, a service call, nothing else.

Offers have no task of their own at their deadline: an ETA that far ahead
would sit in Redis past its visibility timeout and be delivered again every
hour. The minute sweep expires lapsed offers, and every accept or decline
refuses a lapsed offer on read, so a late worker never lets one through.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError

from .services import invitations, places

logger = logging.getLogger(__name__)

# Offers get a reminder this long before their deadline.
REMINDER_BEFORE_DEADLINE = dt.timedelta(days=2)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def offers_expire_due_task() -> int:
    return places.offers_expire_due()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def offer_reminders_task() -> int:
    return places.offer_reminders_send(within=REMINDER_BEFORE_DEADLINE)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def waiting_lists_close_task() -> int:
    return places.waiting_lists_close_due()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def invitation_import_run_task(import_id: int) -> None:
    """Invite the rows of a confirmed CSV file. Run twice, it invites nobody twice.

    A lock timeout or a lost database connection (OperationalError) is retried:
    the retry resumes after the rows already done. Anything else leaves the
    import failed, with what was done recorded, and is logged, not retried.
    """
    try:
        invitations.invitation_import_run(import_id=import_id)
    except OperationalError:
        raise
    except Exception:
        logger.exception("Invitation import %s failed", import_id)


@shared_task
def invitation_imports_sweep_task() -> int:
    return invitations.invitation_imports_sweep()
