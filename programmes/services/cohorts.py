"""Creating, changing and copying cohorts: what the programme team does in the console.

Every check a form makes is made here too, on the locked row, and raised as a
CohortInvalid naming each field's problem, so the console, a command or a test
get the same answer. The messages are the model's CHECK constraint messages
where one applies (programmes/models.py) and constants here otherwise.

A cohort's capacity is checked here with the other fields, so every problem is
reported at once, but an existing cohort's capacity is never written here: only
applications.services.places.cohort_capacity_change may change it, under its
lock, because it hands new places to the people waiting. Programmes may not
import applications, so the console calls cohort_update and then that service
in one transaction (console.services.cohort_edit). Likewise the sessions of a
copied cohort belong to the registers app: console.services.cohort_copy_with_sessions.

Locks follow the places services' order and shape: the cohort row first, alone
(`of=("self",)`), so an edit queues behind a booking on the cohort rather than
deadlocking with it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.audit import acting_as

from ..models import (
    COHORT_CANCELLED,
    COHORT_ENDS_BEFORE_IT_STARTS,
    COHORT_NAME_TAKEN,
    COHORT_NEEDS_A_PLACE,
    COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
    COHORT_PLACES_OVER_CAPACITY,
    COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS,
    Cohort,
    Programme,
)
from ..selectors import WAITLISTED

WINDOW_OPENS_AFTER_START = _("Applications must open before the cohort starts.")
WINDOW_CLOSES_AFTER_START = _("Applications must close before the cohort starts.")
CUTOFF_AFTER_START = _(
    "Offers must stop before the cohort starts. Leave it blank to allow offers until then."
)
NEW_COHORT_STARTS_IN_THE_PAST = _("A new cohort must start after today.")
START_INTO_THE_PAST = _(
    "People hold or are waiting for places on this cohort, so it must still start after "
    "today. If it cannot go ahead, cancel the cohort instead."
)
START_FIXED_ONCE_STARTED = _(
    "This cohort has started with people on it, so its start date cannot change."
)
STALE = _(
    "Someone else changed this cohort while you were editing it. Nothing was saved. "
    "Check its details below and make your changes again."
)
CAPACITY_MAX = 10_000


class CohortError(Exception):
    """A change to a cohort that cannot be made; the message says why."""


class CohortInvalid(CohortError):
    """Some fields have problems: {field name: [message, ...]}."""

    def __init__(self, problems: Mapping[str, list[str]]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(m for messages in self.problems.values() for m in messages))


class CohortStale(CohortError):
    pass


class CohortLocked(CohortError):
    """The cohort has been cancelled: nothing about it changes any more."""


@dataclass(frozen=True)
class CohortDetails:
    """Everything the team sets on a cohort, apart from its number of places."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    applications_open_at: dt.datetime | None
    applications_close_at: dt.datetime | None
    delivery_mode: str
    venue: str
    offer_deadline_days: int
    offer_cutoff_at: dt.datetime | None

    @classmethod
    def of(cls, cohort: Cohort) -> CohortDetails:
        return cls(**{name: getattr(cohort, name) for name in DETAIL_FIELDS})


DETAIL_FIELDS = tuple(f.name for f in fields(CohortDetails))


def _start_of(day: dt.date) -> dt.datetime:
    """The first moment of `day` in UK time, when a cohort starting that day starts."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cohort_problems(
    *,
    programme: Programme,
    details: CohortDetails,
    capacity: int,
    existing: Cohort | None = None,
) -> dict[str, list[str]]:
    """What is wrong with `details` and `capacity`, by field; empty when nothing is.

    For a change to `existing` (locked, when called from cohort_update), its places
    taken, its waiting list and its current start date are taken into account.
    """
    problems: dict[str, list[str]] = {}

    def problem(name: str, message: Any) -> None:
        problems.setdefault(name, []).append(str(message))

    d = details
    start = _start_of(d.starts_on)
    today = timezone.localdate()
    if d.ends_on < d.starts_on:
        problem("ends_on", COHORT_ENDS_BEFORE_IT_STARTS)
    opens, closes = d.applications_open_at, d.applications_close_at
    if opens is not None and closes is not None and closes <= opens:
        problem("applications_close_at", COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS)
    elif closes is not None and closes > start:
        problem("applications_close_at", WINDOW_CLOSES_AFTER_START)
    if opens is not None and opens >= start:
        problem("applications_open_at", WINDOW_OPENS_AFTER_START)
    if d.offer_cutoff_at is not None and d.offer_cutoff_at > start:
        problem("offer_cutoff_at", CUTOFF_AFTER_START)
    if not 1 <= d.offer_deadline_days <= 90:
        problem("offer_deadline_days", COHORT_OFFER_DEADLINE_OUT_OF_RANGE)
    taken = existing.places_taken if existing is not None else 0
    if capacity < 1:
        problem("capacity", COHORT_NEEDS_A_PLACE)
    elif capacity < taken:
        problem("capacity", COHORT_PLACES_OVER_CAPACITY)
    same_name = Cohort.objects.filter(programme=programme, name__iexact=d.name.strip())
    if existing is not None:
        same_name = same_name.exclude(pk=existing.pk)
    if same_name.exists():
        problem("name", COHORT_NAME_TAKEN)
    if existing is None:
        if d.starts_on <= today:
            problem("starts_on", NEW_COHORT_STARTS_IN_THE_PAST)
    elif d.starts_on != existing.starts_on:
        people = taken > 0 or existing.applications.filter(state=WAITLISTED).exists()
        started = existing.starts_on <= today
        if people and started:
            problem("starts_on", START_FIXED_ONCE_STARTED)
        elif people and d.starts_on <= today:
            # It would start at once: offers close, waiting lists are closed by the
            # next sweep and attendance opens, all without anyone deciding so.
            problem("starts_on", START_INTO_THE_PAST)
    return problems


def _lock(cohort_id: int) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort_id)
    )


def _cleaned(details: CohortDetails) -> CohortDetails:
    values = asdict(details)
    values["name"], values["venue"] = details.name.strip(), details.venue.strip()
    return CohortDetails(**values)


def cohort_create(
    *, programme: Programme, details: CohortDetails, capacity: int, by: User
) -> Cohort:
    """Add a cohort to `programme`. Raises CohortInvalid."""
    details = _cleaned(details)
    problems = cohort_problems(programme=programme, details=details, capacity=capacity)
    if problems:
        raise CohortInvalid(problems)
    try:
        with transaction.atomic(), acting_as(by):
            return Cohort.objects.create(programme=programme, capacity=capacity, **asdict(details))
    except IntegrityError as error:  # the same name, added in the same instant
        raise CohortInvalid({"name": [str(COHORT_NAME_TAKEN)]}) from error


def cohort_copy(*, source: Cohort, details: CohortDetails, capacity: int, by: User) -> Cohort:
    """A new cohort of the source's programme: nobody on it yet, no places taken.

    `details` are usually cohort_copy_initial's suggestions as the team corrected
    them. Its sessions are copied by registers.services.sessions_copy.
    """
    return cohort_create(programme=source.programme, details=details, capacity=capacity, by=by)


def cohort_update(
    *,
    cohort: Cohort,
    details: CohortDetails,
    capacity: int,
    expected_updated_at: dt.datetime,
    by: User,
) -> Cohort:
    """Change a cohort's details, unless it changed since `expected_updated_at`.

    `capacity` is the number of places the caller is about to set through the places
    service: it is checked here with everything else, never written (see above).
    Raises CohortLocked (cancelled), CohortStale, or CohortInvalid; saves nothing then.
    """
    details = _cleaned(details)
    with transaction.atomic():
        locked = _lock(cohort.pk)
        if locked.is_cancelled:
            raise CohortLocked(COHORT_CANCELLED)
        if locked.updated_at != expected_updated_at:
            raise CohortStale(STALE)
        problems = cohort_problems(
            programme=locked.programme, details=details, capacity=capacity, existing=locked
        )
        if problems:
            raise CohortInvalid(problems)
        changed = [n for n in DETAIL_FIELDS if getattr(locked, n) != getattr(details, n)]
        if changed:
            for name in changed:
                setattr(locked, name, getattr(details, name))
            try:
                with transaction.atomic(), acting_as(by):
                    locked.save(update_fields=[*changed, "updated_at"])
            except IntegrityError as error:
                raise CohortInvalid({"name": [str(COHORT_NAME_TAKEN)]}) from error
    return locked


# --- Suggestions for "start next year's cohort from this one" ----------------------

_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:([/-])(\d\d))?\b")


def next_year_name(name: str) -> str:
    """ "2026 cohort" → "2027 cohort", "Autumn 2026/27" → "Autumn 2027/28"; else "<name> (copy)"."""

    def bump(match: re.Match[str]) -> str:
        year = str(int(match.group(1)) + 1)
        if match.group(3) is None:
            return year
        return f"{year}{match.group(2)}{(int(match.group(3)) + 1) % 100:02d}"

    bumped, count = _YEAR.subn(bump, name)
    return bumped if count else f"{name} (copy)"


def a_year_later(day: dt.date) -> dt.date:
    """The same day a year on; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def a_year_later_at(moment: dt.datetime | None) -> dt.datetime | None:
    """The same UK date and clock time a year on (so 09:00 stays 09:00 across clock changes)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(dt.datetime.combine(a_year_later(local.date()), local.time()))


def cohort_copy_initial(*, source: Cohort) -> dict[str, Any]:
    """The copy form's starting values: every field of `source`, a year later."""
    return {
        **{name: getattr(source, name) for name in DETAIL_FIELDS},
        "name": next_year_name(source.name),
        "starts_on": a_year_later(source.starts_on),
        "ends_on": a_year_later(source.ends_on),
        "applications_open_at": a_year_later_at(source.applications_open_at),
        "applications_close_at": a_year_later_at(source.applications_close_at),
        "offer_cutoff_at": a_year_later_at(source.offer_cutoff_at),
        "capacity": source.capacity,
    }
