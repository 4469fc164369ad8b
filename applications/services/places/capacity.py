"""Changing a cohort's number of places, from the console or the Django admin alike."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from portal.audit import acting_as
from programmes.models import Cohort

from ...models import Application
from .errors import CAPACITY_BELOW_TAKEN, CAPACITY_NOT_POSITIVE, CapacityTooLow
from .hand_on import place_hand_on
from .locking import free_place, lock_cohort


def cohort_capacity_change(*, cohort: Cohort, capacity: int, by: User | None) -> Cohort:
    """Set the capacity; never below the places taken. New places go to people waiting.

    Saved (not a bulk update) so the change is in the cohort's audit log with who made
    it, and moves `updated_at`, which the console's edit form checks for staleness.
    """
    with transaction.atomic():
        locked = lock_cohort(cohort.pk)
        if capacity < 1:
            raise CapacityTooLow(CAPACITY_NOT_POSITIVE)
        if capacity < locked.places_taken:
            raise CapacityTooLow(
                CAPACITY_BELOW_TAKEN % {"capacity": capacity, "taken": locked.places_taken}
            )
        if capacity != locked.capacity:
            locked.capacity = capacity
            with acting_as(by):
                locked.save(update_fields=["capacity", "updated_at"])
        place_hand_on(cohort=locked, by=by)
    cohort.capacity, cohort.places_taken = locked.capacity, locked.places_taken
    return locked


def application_place_release(*, cohort: Cohort, application: Application) -> None:
    """A place held by `application` was given up: count it back and hand it on.

    Call with the cohort locked, after the application has left its place-holding state.
    """
    free_place(cohort)
    place_hand_on(cohort=cohort, by=None)
