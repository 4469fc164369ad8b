"""Cancelling a cohort: every live application is withdrawn, every place freed, each person told.

Under the cohort's lock (taken first, as everywhere), then the locks of its live
applications in id order: each moves to "withdrawn" through the lifecycle, with
the reason on its event; each place it held is counted back through the places
counter, so places_taken ends at 0. No freed place is handed on: the cohort will
not run, so nobody on its waiting list is offered one. The cohort's row then says
when and why (audited, with who), and from then on the locking helper refuses it
to every places service and to submission.

A cohort that is running may be cancelled: a provider that cannot go on, or a
programme stopped part way, must be able to stop it and tell everyone at once;
the sessions and the register kept so far stay on record. A cohort that has
finished may not: it ended on its last day, or once anyone's completion was
recorded, and cancelling it would rewrite what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.audit import acting_as
from programmes.models import Cohort

from ...lifecycle import ATTENDANCE_MARKS, HOLDS_A_PLACE, WITHDRAWABLE, transition
from ...models import Application
from ...models import ApplicationState as S
from . import emails
from .errors import COHORT_CANCELLED, CohortCancelled, PlacesError
from .locking import free_place, lock_applications, lock_cohort
from .on_behalf import reason_required

COHORT_FINISHED = _(
    "This cohort has finished, so it cannot be cancelled: its last day has passed or "
    "completion has been recorded for people on it."
)
CANCELLED_REASON = "The cohort was cancelled: {reason}"


class CancelRefused(PlacesError):
    pass


@dataclass(frozen=True)
class Cancellation:
    cohort: Cohort
    told: int  # people emailed: everyone whose application was live


def cohort_has_finished(cohort: Cohort) -> bool:
    """Its last day has passed, or someone's completion (or not) has been recorded."""
    if cohort.ends_on < timezone.localdate():
        return True
    return Application.objects.filter(cohort=cohort, state__in=ATTENDANCE_MARKS).exists()


def cohort_cancel(*, cohort: Cohort, reason: str, by: User) -> Cancellation:
    """Cancel `cohort`, telling everyone with a live application why. Refuses a second time."""
    reason = reason_required(reason)
    # Read before taking the lock: the same for everyone, and slow compared with a row.
    others = emails.other_dates(cohort)
    with transaction.atomic():
        locked = lock_cohort(cohort.pk, cancelled_ok=True)
        if locked.is_cancelled:
            raise CohortCancelled(COHORT_CANCELLED)
        if cohort_has_finished(locked):
            raise CancelRefused(COHORT_FINISHED)
        live = Application.objects.filter(cohort=locked, state__in=WITHDRAWABLE)
        told = 0
        for application in lock_applications(live.values_list("pk", flat=True)):
            if application.state not in WITHDRAWABLE:
                continue
            application.cohort = locked
            was = application.state
            transition(
                application=application,
                to=S.WITHDRAWN,
                by=by,
                reason=CANCELLED_REASON.format(reason=reason),
            )
            if was in HOLDS_A_PLACE:
                free_place(locked)
            emails.send_cohort_cancelled(application, was=was, reason=reason, others=others)
            told += 1
        locked.cancelled_at = timezone.now()
        locked.cancellation_reason = reason
        with acting_as(by):
            locked.save(update_fields=["cancelled_at", "cancellation_reason", "updated_at"])
    cohort.cancelled_at, cohort.cancellation_reason = locked.cancelled_at, reason
    cohort.places_taken = locked.places_taken
    return Cancellation(cohort=locked, told=told)
