"""The application lifecycle: the transitions allowed in each admission mode, the named
sets of states other code asks about, and the one way to move.

Every change of state goes through `transition()`, which refuses anything its
programme's admission mode does not allow and writes an audit event in the
caller's transaction. The services in applications/services/ wrap it with the
locking, precondition checks and side effects of each step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import AdmissionMode

from .errors import ApplicationError
from .models import Application, ApplicationEvent
from .models import ApplicationState as S

# Moves every mode shares: screening a submission, and the end of a place.
_SCREENING: dict[str, set[str]] = {
    S.SUBMITTED: {S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.WITHDRAWN},
    # A screener may overturn an automatic "not eligible"; the event records the override.
    S.INELIGIBLE: {S.ELIGIBLE, S.NEEDS_REVIEW, S.WITHDRAWN},
}
_ATTENDANCE: dict[str, set[str]] = {
    S.ENROLLED: {S.COMPLETED, S.DID_NOT_COMPLETE, S.WITHDRAWN},
    # A mark recorded in error is corrected, with a reason, rather than undone.
    S.COMPLETED: {S.DID_NOT_COMPLETE},
    S.DID_NOT_COMPLETE: {S.COMPLETED},
}
_OFFER: dict[str, set[str]] = {S.OFFERED: {S.ENROLLED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}}

_BY_MODE: dict[str, dict[str, set[str]]] = {
    # Apply, be screened, and wait for the team's decision and an offer.
    AdmissionMode.SELECTIVE: {
        S.DRAFT: {S.SUBMITTED},
        **_SCREENING,
        S.ELIGIBLE: {
            S.OFFERED,
            S.WAITLISTED,
            S.REJECTED,
            S.INELIGIBLE,
            S.NEEDS_REVIEW,
            S.WITHDRAWN,
        },
        S.NEEDS_REVIEW: {
            S.ELIGIBLE,
            S.INELIGIBLE,
            S.OFFERED,
            S.WAITLISTED,
            S.REJECTED,
            S.WITHDRAWN,
        },
        # The team may take an offer back (rescind): the person is not offered a place.
        S.OFFERED: {*_OFFER[S.OFFERED], S.REJECTED},
        S.WAITLISTED: {S.OFFERED, S.REJECTED, S.WITHDRAWN},
        **_ATTENDANCE,
    },
    # Book: an eligible person takes a free place at once or queues for one. No offers.
    AdmissionMode.FIRST_COME: {
        S.DRAFT: {S.SUBMITTED},
        **_SCREENING,
        S.ELIGIBLE: {S.ENROLLED, S.WAITLISTED, S.WITHDRAWN},
        S.NEEDS_REVIEW: {S.ELIGIBLE, S.INELIGIBLE, S.REJECTED, S.WITHDRAWN},
        S.WAITLISTED: {S.ENROLLED, S.REJECTED, S.WITHDRAWN},
        **_ATTENDANCE,
    },
    # The team names people; each goes from a draft straight to an offer, unscreened.
    AdmissionMode.INVITATION: {
        S.DRAFT: {S.OFFERED},
        **_OFFER,
        **_ATTENDANCE,
    },
}

ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    mode: {state: frozenset(table.get(state, ())) for state in S.values}
    for mode, table in _BY_MODE.items()
}

# --- Named sets: the one place other code learns what a state means -----------

# The person holds a seat on the cohort: places_taken counts exactly these.
# Attendance marks keep the seat: the cohort ran with them in it.
HOLDS_A_PLACE = frozenset({S.OFFERED, S.ENROLLED, S.COMPLETED, S.DID_NOT_COMPLETE})
# A place in use now: a person may hold one of these per programme at a time
# (someone who has finished one cohort may take another).
ACTIVE_PLACE = frozenset({S.OFFERED, S.ENROLLED})
# The applicant may withdraw themselves (a draft is deleted instead).
WITHDRAWABLE = frozenset(
    {S.SUBMITTED, S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.OFFERED, S.WAITLISTED, S.ENROLLED}
)
# A screening decision can be made (or confirmed) from these.
SCREENED = frozenset({S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE})
SCREENABLE = frozenset({S.SUBMITTED, *SCREENED})
# The programme team can offer a place (selective cohorts), turn down, or put on the list.
OFFERABLE = frozenset({S.ELIGIBLE, S.NEEDS_REVIEW, S.WAITLISTED})
REJECTABLE = frozenset({S.ELIGIBLE, S.NEEDS_REVIEW, S.WAITLISTED})
WAITLISTABLE = frozenset({S.ELIGIBLE, S.NEEDS_REVIEW})
ATTENDANCE_MARKS = frozenset({S.COMPLETED, S.DID_NOT_COMPLETE})
# A participant of the programme: enrolled now, or completed it. They may open the
# programme's participants-only resources and join its peer network; a person who
# withdrew or did not complete may not.
PARTICIPANT = frozenset({S.ENROLLED, S.COMPLETED})
# A person has decided on these (or the applicant has moved on), so they no longer
# wait for screening.
DECIDED = frozenset(
    {S.OFFERED, S.WAITLISTED, S.REJECTED, S.ENROLLED, S.DECLINED, S.EXPIRED, *ATTENDANCE_MARKS}
)
# Nothing can happen next. A person whose application ended here by withdrawing
# may apply to the cohort again (a new application); the others may not.
FINAL = frozenset({S.REJECTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN})

NOT_ALLOWED_MESSAGE = _("An application that is “%(from)s” cannot become “%(to)s”.")


class TransitionNotAllowed(ApplicationError):
    """The change asked for is not allowed in this admission mode; nothing was changed."""

    def __init__(self, from_state: str, to_state: str) -> None:
        self.from_state, self.to_state = from_state, to_state
        super().__init__(
            NOT_ALLOWED_MESSAGE % {"from": S(from_state).label, "to": S(to_state).label}
        )


def can_transition(mode: str, from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED[mode].get(from_state, frozenset())


def transition(
    *,
    application: Application,
    to: str,
    by: User | None,
    reason: str = "",
    is_override: bool = False,
    extra_fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    """Move `application` to `to` and record who, when, from, to and why.

    Must run inside the caller's transaction, with the cohort and application
    rows locked by the caller (the services do this through places.locking).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    from_state = application.state
    mode = application.cohort.programme.admission_mode
    if not can_transition(mode, from_state, to):
        raise TransitionNotAllowed(from_state, to)
    application.state = to
    application.updated_at = timezone.now()
    application.save(update_fields=["state", "updated_at", *extra_fields])
    return ApplicationEvent.objects.create(
        application=application,
        actor=by,
        from_state=from_state,
        to_state=to,
        reason=reason,
        is_override=is_override,
    )


@dataclass(frozen=True)
class Step:
    """One move of several made at once by `transition_through`."""

    to: str
    by: User | None
    reason: str


def transition_through(
    *,
    application: Application,
    steps: Sequence[Step],
    extra_fields: tuple[str, ...] = (),
) -> list[ApplicationEvent]:
    """Make several moves in a row (submitted, screened, booked) with one UPDATE and one
    INSERT of their events, checking each move as `transition()` does.

    The same rules as `transition()`: inside the caller's transaction, with the rows
    locked. Nothing is written if any move is not allowed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition_through() must run inside transaction.atomic()")
    mode = application.cohort.programme.admission_mode
    events: list[ApplicationEvent] = []
    state = application.state
    for step in steps:
        if not can_transition(mode, state, step.to):
            raise TransitionNotAllowed(state, step.to)
        events.append(
            ApplicationEvent(
                application=application,
                actor=step.by,
                from_state=state,
                to_state=step.to,
                reason=step.reason,
            )
        )
        state = step.to
    application.state = state
    application.updated_at = timezone.now()
    application.save(update_fields=["state", "updated_at", *extra_fields])
    return ApplicationEvent.objects.bulk_create(events)
