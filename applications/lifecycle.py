"""The application lifecycle: the one table of allowed transitions, and the one way to move.

Every change of state goes through `transition()`, which refuses anything not in
ALLOWED and writes an audit event in the caller's transaction. The services in
applications/services/ wrap it with the locking and side effects of each step.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Application, ApplicationEvent
from .models import ApplicationState as S

ALLOWED: dict[str, frozenset[str]] = {
    # Invitation cohorts: a named person goes straight from a draft to an offer.
    S.DRAFT: frozenset({S.SUBMITTED, S.OFFERED, S.WITHDRAWN}),
    # Automatic screening moves a submitted application on at once.
    S.SUBMITTED: frozenset({S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.WITHDRAWN}),
    # Staff decisions; first-come cohorts enrol eligible people straight away.
    S.ELIGIBLE: frozenset(
        {S.OFFERED, S.WAITLISTED, S.REJECTED, S.ENROLLED, S.INELIGIBLE, S.NEEDS_REVIEW, S.WITHDRAWN}
    ),
    S.NEEDS_REVIEW: frozenset(
        {S.ELIGIBLE, S.INELIGIBLE, S.OFFERED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}
    ),
    # A screener may overturn an automatic "not eligible"; the event records the override.
    S.INELIGIBLE: frozenset({S.ELIGIBLE, S.NEEDS_REVIEW, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ENROLLED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.OFFERED, S.ENROLLED, S.REJECTED, S.WITHDRAWN}),
    S.ENROLLED: frozenset({S.COMPLETED, S.DID_NOT_COMPLETE, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.COMPLETED: frozenset(),
    S.DID_NOT_COMPLETE: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# States in which the person holds, or is being held, a place.
HOLDS_A_PLACE = frozenset({S.OFFERED, S.ENROLLED})
# States from which the applicant may withdraw themselves.
WITHDRAWABLE = frozenset(state for state, targets in ALLOWED.items() if S.WITHDRAWN in targets)
FINAL = frozenset(state for state, targets in ALLOWED.items() if not targets)

NOT_ALLOWED_MESSAGE = _("An application that is “%(from)s” cannot become “%(to)s”.")


class TransitionNotAllowed(Exception):
    """The change asked for is not in the table; nothing was changed."""

    def __init__(self, from_state: str, to_state: str) -> None:
        self.from_state, self.to_state = from_state, to_state
        super().__init__(
            NOT_ALLOWED_MESSAGE % {"from": S(from_state).label, "to": S(to_state).label}
        )


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED.get(from_state, frozenset())


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

    Must run inside the caller's transaction, with the application row locked
    by the caller when other writers could race (the services do this).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    from_state = application.state
    if not can_transition(from_state, to):
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
