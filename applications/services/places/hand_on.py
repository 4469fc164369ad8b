"""Handing freed places to the people waiting, in the same transaction that freed them."""

from __future__ import annotations

from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from ...models import Application
from ...models import ApplicationState as S
from .errors import HANDED_ON_REASON
from .locking import lock_applications
from .moves import enrol_make, offer_make
from .selectors import offers_open, waiting_list


def place_hand_on(*, cohort: Cohort, by: User | None = None) -> list[Application]:
    """Give free places to the people waiting, in order. Call with the cohort locked.

    Selective cohorts get a time-limited offer; first-come cohorts enrol at once.
    The waiting list already leaves out anyone who cannot take a place now.
    """
    free = cohort.capacity - cohort.places_taken
    if free <= 0 or not offers_open(cohort):
        return []
    next_ids = list(waiting_list(cohort).values_list("id", flat=True)[:free])
    locked = {application.pk: application for application in lock_applications(next_ids)}
    first_come = cohort.programme.admission_mode == AdmissionMode.FIRST_COME
    handed: list[Application] = []
    for pk in next_ids:  # queue order; the locks were taken in id order
        application = locked.get(pk)
        if application is None or application.state != S.WAITLISTED:
            continue
        application.cohort = cohort
        if first_come:
            enrol_make(
                cohort=cohort, application=application, by=by, reason=HANDED_ON_REASON,
                template="enrolled_from_waiting_list",
            )  # fmt: skip
        else:
            offer_make(
                cohort=cohort, application=application, by=by, reason=HANDED_ON_REASON,
                template="waitlist_offer",
            )  # fmt: skip
        handed.append(application)
    return handed
