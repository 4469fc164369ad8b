"""Writes the console makes on top of the places services: screening decisions,
offers from the console, moving someone up or down a waiting list, saving a
cohort's settings where they span apps (places, sessions), and changing many
applications at once through the single-application services.

Locks are taken cohort first, application second, as in
applications/services/places.py, so these queue behind offers instead of
deadlocking with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.errors import ApplicationError
from applications.lifecycle import REJECTABLE, SCREENABLE, WAITLISTABLE, transition
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services.assignment import application_assign
from applications.services.places import (
    STALE_WAITING_LIST,
    NotRejectable,
    NotWaitlistable,
    StaleWaitingList,
    application_book_or_queue,
    application_offer,
    application_reject,
    cohort_capacity_change,
    waitlist_add,
    waitlist_reorder,
)
from applications.services.places.locking import lock_for
from programmes.models import Cohort
from programmes.services.cohorts import CohortDetails, cohort_copy, cohort_update
from registers.services import sessions_copy

# What a screener can decide, and the state each decision leads to.
DECISION_ELIGIBLE = "eligible"
DECISION_INELIGIBLE = "ineligible"
DECISION_MORE_INFORMATION = "needs_more_information"
DECISIONS: dict[str, str] = {
    DECISION_ELIGIBLE: S.ELIGIBLE,
    DECISION_INELIGIBLE: S.INELIGIBLE,
    DECISION_MORE_INFORMATION: S.NEEDS_REVIEW,
}

REASON_REQUIRED = _("Give a reason for your decision.")
NOT_SCREENABLE = _(
    "This application can no longer be screened: a decision about a place has been made."
)
CONFIRMED_REASON_PREFIX = "Screening outcome confirmed: "
REJECT_REASON_NEEDED = _("Give a reason for turning the applications down.")


class ScreeningError(ApplicationError):
    pass


def screening_decide(
    *, application: Application, decision: str, reason: str, by: User
) -> ApplicationEvent:
    """Record a person's screening decision, and whether it overrides the automatic one.

    Deciding what the application already is (e.g. confirming "eligible") is
    recorded as an event without a change of state, since the lifecycle table
    has no self-transitions. On a first-come cohort, a decision of eligible
    books a free place or joins the queue in submission order, at once.
    """
    reason = reason.strip()
    if not reason:
        raise ScreeningError(REASON_REQUIRED)
    if decision not in DECISIONS:
        raise ScreeningError(NOT_SCREENABLE)
    to = DECISIONS[decision]
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state not in SCREENABLE:
            raise ScreeningError(NOT_SCREENABLE)
        # The outcome values are the state values ("eligible", "needs_review",
        # "ineligible"), so they compare directly. No automatic outcome: no override.
        is_override = bool(locked.eligibility_outcome) and locked.eligibility_outcome != to
        if locked.state == to:
            event = ApplicationEvent.objects.create(
                application=locked,
                actor=by,
                from_state=to,
                to_state=to,
                reason=reason,
                is_override=is_override,
            )
        else:
            event = transition(
                application=locked, to=to, by=by, reason=reason, is_override=is_override
            )
        application_book_or_queue(cohort=cohort, application=locked)
        return event


def console_offer(*, application: Application, by: User) -> Application:
    """Offer one place. The service refuses anything its admission mode does not allow."""
    return application_offer(application=application, by=by)


def waitlist_move(
    *,
    cohort: Cohort,
    application_id: int,
    position: int,
    expected: Sequence[int],
    by: User,
) -> bool:
    """Move one person to `position` (1 is next for a place) in the order the staff member saw.

    Positions beyond the ends go to the nearest end. Returns False when the person
    is already there. Raises StaleWaitingList when the list has changed since it
    was shown.
    """
    order = list(expected)
    if application_id not in order:
        raise StaleWaitingList(STALE_WAITING_LIST)
    index = order.index(application_id)
    target = min(max(position, 1), len(order)) - 1
    if target == index:
        return False
    order.insert(target, order.pop(index))
    waitlist_reorder(cohort=cohort, order=order, expected=expected, by=by)
    return True


# --- Cohort settings: a change of places goes through the places service ---------


def cohort_edit(
    *,
    cohort: Cohort,
    details: CohortDetails,
    capacity: int,
    expected_updated_at: dt.datetime,
    by: User,
) -> Cohort:
    """Save the edit form: the details, then the number of places, in one transaction.

    programmes.services.cohorts.cohort_update locks the cohort, refuses a stale or
    cancelled one and checks everything (capacity included); then the places service
    sets the capacity under the same lock (taking a lock it already holds is free) and
    hands any new places on. Details first, so that hand-on sees the new dates and
    cut-off. Anything refused rolls the whole edit back.
    """
    with transaction.atomic():
        updated = cohort_update(
            cohort=cohort,
            details=details,
            capacity=capacity,
            expected_updated_at=expected_updated_at,
            by=by,
        )
        if capacity != updated.capacity:
            updated = cohort_capacity_change(cohort=updated, capacity=capacity, by=by)
    return updated


def cohort_copy_with_sessions(
    *, source: Cohort, details: CohortDetails, capacity: int, with_sessions: bool, by: User
) -> Cohort:
    """Start a new cohort from `source` and, if asked, its sessions, moved on to the new
    dates: both or neither (registers.services.sessions_copy refuses a session that
    would fall outside them)."""
    with transaction.atomic():
        copy = cohort_copy(source=source, details=details, capacity=capacity, by=by)
        if with_sessions:
            sessions_copy(source=source, target=copy)
    return copy


# --- Many applications at once ----------------------------------------------------

# Why one person in a bulk change was left as they were. The state one is for people a
# colleague (or a stale tab) has already moved on; the other carries the service's reason.
REFUSED_NOW_IN_STATE = _("%(name)s: the application is now “%(state)s”")
REFUSED_BECAUSE = _("%(name)s: %(reason)s")


@dataclass
class BulkOutcome:
    """What a bulk change did: who was changed, and who was not and why."""

    done: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def display_name(application: Application) -> str:
    return application.applicant.full_name or application.applicant.email


def _each(
    applications: Sequence[Application],
    change: Callable[[Application], object],
    *,
    accepts: frozenset[str],
) -> BulkOutcome:
    """Apply one single-application service to each application, one at a time.

    Each call is that service's own transaction: it locks, re-checks and either
    changes the row completely (with its history and email) or raises and changes
    nothing. So a refusal leaves that person exactly as they were and never undoes
    or blocks the others. Applications go in id order, the order locks are taken in.
    A refusal names the state the application is in now when that is the reason (it
    is not in `accepts`, the states the service takes), else gives the service's own.
    """
    outcome = BulkOutcome()
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            change(application)
        except (NotWaitlistable, NotRejectable) as error:
            state = (
                Application.objects.filter(pk=application.pk)
                .values_list("state", flat=True)
                .first()
            )
            name = display_name(application)
            if state in S.values and state not in accepts:
                reason = REFUSED_NOW_IN_STATE % {"name": name, "state": S(state).label}
            else:
                reason = REFUSED_BECAUSE % {"name": name, "reason": error}
            outcome.refused.append((application, str(reason)))
        except ApplicationError as error:
            reason = REFUSED_BECAUSE % {"name": display_name(application), "reason": error}
            outcome.refused.append((application, str(reason)))
        else:
            outcome.done.append(application)
    return outcome


def applications_waitlist_bulk(*, applications: Sequence[Application], by: User) -> BulkOutcome:
    """Move each application to the waiting list through `waitlist_add`."""
    return _each(
        applications,
        lambda application: waitlist_add(application=application, by=by),
        accepts=WAITLISTABLE,
    )


def applications_reject_bulk(
    *, applications: Sequence[Application], by: User, reason: str
) -> BulkOutcome:
    """Turn each application down through `application_reject`, which emails the reason."""
    reason = reason.strip()
    if not reason:
        raise ScreeningError(REJECT_REASON_NEEDED)
    return _each(
        applications,
        lambda application: application_reject(application=application, by=by, reason=reason),
        accepts=REJECTABLE,
    )


def applications_assign_bulk(
    *, applications: Sequence[Application], to: User | None, by: User
) -> BulkOutcome:
    """Assign each application to `to` (or nobody) through `application_assign`."""
    return _each(
        applications,
        lambda application: application_assign(application=application, to=to, by=by),
        accepts=frozenset(S.values),
    )
