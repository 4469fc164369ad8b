"""The waiting list: joining it (by booking a full cohort, or by the team's decision),
leaving it, its order, and turning people down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from ...lifecycle import REJECTABLE, WAITLISTABLE, transition
from ...models import Application, ApplicationEvent
from ...models import ApplicationState as S
from . import emails
from .errors import (
    NOT_REJECTABLE,
    NOT_WAITING,
    NOT_WAITLISTABLE,
    STALE_WAITING_LIST,
    NotRejectable,
    NotWaiting,
    NotWaitlistable,
    StaleWaitingList,
)
from .locking import lock_cohort, lock_for
from .moves import enrol_make, ensure_can_hold_a_place, waitlist_make
from .selectors import offers_open, waiting_list


@dataclass(frozen=True)
class Booking:
    """What first-come booking does with an eligible submission: a place, or the queue."""

    to: str
    reason: str
    template: str


BOOKED = Booking(S.ENROLLED, "Booked a free place.", "enrolled")
QUEUED = Booking(
    S.WAITLISTED, "The cohort was full, so they joined the waiting list.", "waitlisted"
)


def booking_for(*, cohort: Cohort, application: Application, state: str) -> Booking | None:
    """What booking does for `application` once it is in `state`; None when it does nothing.

    Call with the cohort and application locked: it reads the places left, and refuses a
    closed account or someone holding a place elsewhere in the programme.
    """
    if cohort.programme.admission_mode != AdmissionMode.FIRST_COME or state != S.ELIGIBLE:
        return None
    ensure_can_hold_a_place(application)
    if cohort.places_taken < cohort.capacity and offers_open(cohort):
        return BOOKED
    return QUEUED


def application_book_or_queue(*, cohort: Cohort, application: Application) -> Application:
    """First-come cohorts: an eligible applicant gets a free place, or joins the queue.

    Call with the cohort and application locked (submission and screening do).
    The queue is in submission order, so someone whose eligibility needed a
    person's review is not put behind those who applied after them.
    """
    booking = booking_for(cohort=cohort, application=application, state=application.state)
    if booking is None:
        return application
    if booking is BOOKED:
        return enrol_make(
            cohort=cohort,
            application=application,
            by=None,
            reason=booking.reason,
            template=booking.template,
        )
    return waitlist_make(
        application=application,
        by=None,
        reason=booking.reason,
        joined_at=application.submitted_at,
    )


def waitlist_add(*, application: Application, by: User, reason: str = "") -> Application:
    """The team puts a screened applicant on a selective cohort's waiting list."""
    with transaction.atomic():
        _cohort, locked = lock_for(application.pk)
        if (
            locked.cohort.programme.admission_mode != AdmissionMode.SELECTIVE
            or locked.state not in WAITLISTABLE
        ):
            raise NotWaitlistable(NOT_WAITLISTABLE)
        return waitlist_make(
            application=locked,
            by=by,
            reason=reason or "Moved to the waiting list by the programme team.",
        )


def waitlist_leave(*, application: Application, by: User | None) -> Application:
    """The applicant leaves the waiting list. Only someone waiting can."""
    with transaction.atomic():
        _cohort, locked = lock_for(application.pk)
        if locked.state != S.WAITLISTED:
            raise NotWaiting(NOT_WAITING)
        transition(application=locked, to=S.WITHDRAWN, by=by, reason="Left the waiting list.")
        emails.send(locked, "waitlist_left")
    return locked


def waitlist_reorder(
    *, cohort: Cohort, order: Sequence[int], expected: Sequence[int], by: User
) -> None:
    """Set the waiting list to `order`. `expected` is the order the staff member saw."""
    with transaction.atomic():
        locked = lock_cohort(cohort.pk)
        current = list(waiting_list(locked).values_list("id", flat=True))
        if list(expected) != current or sorted(order) != sorted(current):
            raise StaleWaitingList(STALE_WAITING_LIST)
        top = len(order)
        for index, pk in enumerate(order):
            Application.objects.filter(pk=pk).update(waitlist_priority=top - index)
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application_id=pk,
                actor=by,
                from_state=S.WAITLISTED,
                to_state=S.WAITLISTED,
                reason="Waiting list reordered by the programme team.",
            )
            for pk in order
        )


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    """The team turns an applicant down (on the waiting list: removes them)."""
    with transaction.atomic():
        _cohort, locked = lock_for(application.pk)
        if locked.state not in REJECTABLE:
            raise NotRejectable(NOT_REJECTABLE)
        transition(application=locked, to=S.REJECTED, by=by, reason=reason)
        emails.send(locked, "rejected", reason=reason)
    return locked
