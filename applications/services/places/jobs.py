"""Periodic work on places: lapsed offers, reminders, waiting lists of started cohorts.

Each job finds its rows without locks, then handles each under the usual locks
and re-checks it there, so running a job twice, or two at once, has one effect.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ...lifecycle import transition
from ...models import Application
from ...models import ApplicationState as S
from . import emails
from .errors import WAITING_LIST_CLOSED_REASON
from .locking import lock_application, lock_applications, lock_cohort
from .offers import offer_expire
from .selectors import offers_open


def offers_expire_due(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Application.objects.filter(state=S.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(offer_expire(application_id=pk, now=now) for pk in list(due))


def waiting_lists_close_due(*, now: dt.datetime | None = None) -> int:
    """Close the waiting lists of cohorts that can take no more offers, telling each person."""
    now = now or timezone.now()
    closed = 0
    cohort_ids = set(
        Application.objects.filter(state=S.WAITLISTED).values_list("cohort_id", flat=True)
    )
    for cohort_id in sorted(cohort_ids):
        with transaction.atomic():
            # A cancelled cohort has nobody waiting; a stale id from before it was
            # cancelled finds nothing below rather than stopping the sweep.
            cohort = lock_cohort(cohort_id, cancelled_ok=True)
            if offers_open(cohort, now):
                continue
            # Everyone still waiting, including anyone the list leaves out for now.
            waiting = Application.objects.filter(cohort=cohort, state=S.WAITLISTED)
            for application in lock_applications(waiting.values_list("pk", flat=True)):
                application.cohort = cohort
                transition(
                    application=application,
                    to=S.REJECTED,
                    by=None,
                    reason=WAITING_LIST_CLOSED_REASON,
                )
                emails.send(application, "waitlist_closed")
                closed += 1
    return closed


def offer_reminders_send(*, now: dt.datetime | None = None, within: dt.timedelta) -> int:
    """Remind people whose offer ends within `within`. Each offer is reminded once."""
    now = now or timezone.now()
    sent = 0
    due = Application.objects.filter(
        state=S.OFFERED,
        offer_reminder_sent_at__isnull=True,
        offer_expires_at__gt=now,
        offer_expires_at__lte=now + within,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            # Only the application: a reminder changes no places, so it need not
            # queue behind bookings on the cohort.
            application = lock_application(pk)
            if application.state != S.OFFERED or application.offer_reminder_sent_at is not None:
                continue
            application.offer_reminder_sent_at = now
            application.save(update_fields=["offer_reminder_sent_at"])
            emails.send(application, "offer_expiring_soon")
            sent += 1
    return sent
