"""The one way to lock for a change to places, and the counter that only it may move.

Lock order, everywhere: the cohort row first, then application rows in id
order. Always `of=("self",)`, so a join (the programme, the applicant) never
locks the joined row: two cohorts of one programme never queue behind each
other, and a writer that locks a programme before its cohort cannot deadlock
with a booking.

A cancelled cohort is refused here, on the locked row, so no service can give,
take or change a place on one however it is called: every one locks through
these functions. The few that must still run on a cancelled cohort (its own
cancellation, and the periodic jobs, which find nothing left to do there) say
so with `cancelled_ok=True`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from portal.precompiled import PrecompiledGet
from programmes.models import Cohort

from ...models import Application
from .errors import COHORT_CANCELLED, COHORT_FULL, CohortCancelled, CohortFull

# Every booking and every move takes this lock, so its SQL is compiled once (portal/precompiled.py).
_LOCKED_COHORT: PrecompiledGet[Cohort] = PrecompiledGet(
    lambda pk: (
        Cohort.objects.select_for_update(of=("self",)).select_related("programme").filter(pk=pk)
    )
)


def _refuse_cancelled(cohort: Cohort, cancelled_ok: bool) -> Cohort:
    if cohort.is_cancelled and not cancelled_ok:
        raise CohortCancelled(COHORT_CANCELLED)
    return cohort


def lock_cohort(cohort_id: int, *, cancelled_ok: bool = False) -> Cohort:
    """Lock one cohort row (not its programme) and return it with its programme loaded.

    Raises CohortCancelled if it has been cancelled, unless `cancelled_ok`.
    """
    return _refuse_cancelled(_LOCKED_COHORT.get(cohort_id), cancelled_ok)


def lock_cohorts(ids: Iterable[int], *, cancelled_ok: bool = False) -> dict[int, Cohort]:
    """Lock several cohorts (a move between two) in id order, so two movers never deadlock.

    Raises CohortCancelled if any of them has been cancelled, unless `cancelled_ok`.
    """
    locked = (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )
    return {cohort.pk: _refuse_cancelled(cohort, cancelled_ok) for cohort in locked}


def lock_applications(ids: Iterable[int]) -> list[Application]:
    """Lock applications in id order (call after lock_cohort). Missing ids are left out."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort__programme")
        .filter(pk__in=wanted)
        .order_by("pk")
    )


def lock_application(pk: int) -> Application:
    """Lock one application (call after lock_cohort). Raises Application.DoesNotExist."""
    locked = lock_applications([pk])
    if not locked:
        raise Application.DoesNotExist(pk)
    return locked[0]


def lock_for(application_id: int, *, cancelled_ok: bool = False) -> tuple[Cohort, Application]:
    """Lock an application's cohort, then the application: the usual start of a move.

    Raises CohortCancelled if the cohort has been cancelled, unless `cancelled_ok`.
    """
    cohort_id = Application.objects.values_list("cohort_id", flat=True).get(pk=application_id)
    cohort = lock_cohort(cohort_id, cancelled_ok=cancelled_ok)
    application = lock_application(application_id)
    # The application's own copy of the cohort is the locked one, so both agree.
    application.cohort = cohort
    return cohort, application


def take_place(cohort: Cohort) -> None:
    """Count one more place taken. The cohort must be locked."""
    if cohort.places_taken >= cohort.capacity:
        raise CohortFull(COHORT_FULL)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=F("places_taken") + 1)
    cohort.places_taken += 1


def free_place(cohort: Cohort) -> None:
    """Count one place fewer. The cohort must be locked; hand the place on after."""
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=F("places_taken") - 1)
    cohort.places_taken -= 1
