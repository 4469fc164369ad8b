"""Recording who completed a cohort, once it has started, and correcting a mark."""

from __future__ import annotations

from django.db import transaction
from django.utils import formats

from accounts.models import User

from ...lifecycle import ATTENDANCE_MARKS, transition
from ...models import Application
from ...models import ApplicationState as S
from .errors import (
    CORRECTION_NEEDS_REASON,
    NOT_ENROLLED,
    NOT_STARTED,
    AttendanceRefused,
)
from .locking import lock_for
from .selectors import cohort_has_started


def attendance_record(
    *, application: Application, completed: bool, by: User, reason: str = ""
) -> Application:
    """Mark an enrolled person as completed or not; a changed mark needs a reason.

    Recording the mark they already have changes nothing (a replayed form).
    The place stays counted either way: the cohort ran with them in it.
    """
    to = S.COMPLETED if completed else S.DID_NOT_COMPLETE
    reason = reason.strip()
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state == to:
            return locked
        if locked.state not in {S.ENROLLED, *ATTENDANCE_MARKS}:
            raise AttendanceRefused(NOT_ENROLLED)
        if not cohort_has_started(cohort):
            raise AttendanceRefused(
                NOT_STARTED % {"starts": formats.date_format(cohort.starts_on, "j F Y")}
            )
        correcting = locked.state in ATTENDANCE_MARKS
        if correcting and not reason:
            raise AttendanceRefused(CORRECTION_NEEDS_REASON)
        default = "Completed the programme." if completed else "Did not complete."
        transition(
            application=locked,
            to=to,
            by=by,
            reason=(f"Corrected: {reason}" if correcting else reason or default),
        )
    return locked
