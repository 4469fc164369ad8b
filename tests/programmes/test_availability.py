"""cohort_availability: places left, waiting list and status, computed in SQL in one place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from programmes.models import AdmissionMode, Cohort, CohortStatus
from programmes.selectors import cohort_availability
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate(NOW)
DAY = dt.timedelta(days=1)


def _annotated(cohort: Cohort) -> Cohort:
    return cohort_availability(cohorts=Cohort.objects.filter(pk=cohort.pk), now=NOW).get()


def _cohort(**kwargs) -> Cohort:
    defaults = {
        "starts_on": TODAY + 60 * DAY,
        "applications_open_at": NOW - 7 * DAY,
        "applications_close_at": NOW + 30 * DAY,
        "capacity": 10,
    }
    return factories.CohortFactory(**{**defaults, **kwargs})


def test_places_left_is_capacity_minus_places_taken() -> None:
    cohort = _cohort(capacity=25)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=7)
    assert _annotated(cohort).places_left == 18


def test_waiting_list_length_counts_only_waitlisted_applications() -> None:
    cohort = _cohort()
    factories.ApplicationFactory.create_batch(3, cohort=cohort, state="waitlisted")
    factories.ApplicationFactory(cohort=cohort, state="submitted")
    factories.ApplicationFactory(cohort=cohort, state="enrolled")
    factories.ApplicationFactory(state="waitlisted")  # another cohort's list
    assert _annotated(cohort).waiting_list_length == 3


def test_waiting_list_does_not_multiply_rows() -> None:
    cohort = _cohort()
    factories.ApplicationFactory.create_batch(4, cohort=cohort, state="waitlisted")
    rows = cohort_availability(cohorts=Cohort.objects.filter(pk=cohort.pk), now=NOW)
    assert rows.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "taken", "expected"),
    [
        ({}, 0, CohortStatus.OPEN),
        ({}, 10, CohortStatus.FULL_WAITLIST),
        ({"applications_open_at": NOW + 3 * DAY}, 0, CohortStatus.UPCOMING_NOT_OPEN),
        (
            {"applications_open_at": None, "applications_close_at": None},
            0,
            CohortStatus.UPCOMING_NOT_OPEN,
        ),
        (
            {"applications_open_at": NOW - 9 * DAY, "applications_close_at": NOW - DAY},
            0,
            CohortStatus.CLOSED,
        ),
        ({"applications_close_at": None}, 0, CohortStatus.OPEN),
        ({"starts_on": TODAY - 3 * DAY, "ends_on": TODAY + 30 * DAY}, 0, CohortStatus.RUNNING),
        ({"starts_on": TODAY - 90 * DAY, "ends_on": TODAY - DAY}, 0, CohortStatus.FINISHED),
        (
            {"programme__admission_mode": AdmissionMode.INVITATION},
            0,
            CohortStatus.INVITATION_ONLY,
        ),
    ],
    ids=[
        "open",
        "full",
        "opens-later",
        "no-window-yet",
        "window-closed",
        "open-until-start",
        "running",
        "finished",
        "invitation",
    ],
)
def test_status(kwargs, taken, expected) -> None:
    cohort = _cohort(**kwargs)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=taken)
    assert _annotated(cohort).status == expected


def test_a_finished_invitation_cohort_is_finished_not_invitation_only() -> None:
    cohort = _cohort(
        programme__admission_mode=AdmissionMode.INVITATION,
        starts_on=TODAY - 90 * DAY,
        ends_on=TODAY - DAY,
    )
    assert _annotated(cohort).status == CohortStatus.FINISHED


@pytest.mark.parametrize("count", [3, 60])
def test_one_query_for_any_number_of_cohorts(django_assert_num_queries, count) -> None:
    for cohort in factories.CohortFactory.create_batch(count):
        factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    with django_assert_num_queries(1):
        rows = list(cohort_availability(cohorts=Cohort.objects.all()))
    assert all(row.waiting_list_length == 1 for row in rows)


# --- The directory's cohort conditions agree with the statuses ------------------------------


def _one_cohort_per_programme_in_every_state() -> None:
    """A programme per cohort, so a programme-level flag is exactly its cohort's."""
    shapes = [
        {},  # open
        {"applications_open_at": NOW + 5 * DAY},  # not open yet
        {"applications_open_at": None, "applications_close_at": None},  # no window yet
        {"applications_open_at": NOW - 20 * DAY, "applications_close_at": NOW - DAY},  # closed
        {"starts_on": TODAY - 5 * DAY, "ends_on": TODAY + 50 * DAY},  # running
        {"starts_on": TODAY - 90 * DAY, "ends_on": TODAY - 30 * DAY},  # finished
        {"starts_on": TODAY, "ends_on": TODAY + 30 * DAY},  # starts today: running
        {"cancelled_at": NOW - DAY},  # cancelled
        {"full": True},  # full, waiting list open
        {"full": True, "applications_open_at": NOW + 5 * DAY},  # full before it opens
        {"applications_close_at": None},  # open with no closing date
    ]
    for shape in shapes:
        for mode in AdmissionMode.values:
            shape = dict(shape)
            full = shape.pop("full", False)
            cohort = _cohort(programme__admission_mode=mode, **shape)
            if full:
                Cohort.objects.filter(pk=cohort.pk).update(places_taken=cohort.capacity)


def test_the_directory_flags_and_filters_agree_with_each_cohorts_status() -> None:
    from programmes.selectors import (
        ACCEPTING_STATUSES,
        GONE_STATUSES,
        cohort_conditions,
        programme_list_public,
        programmes_with_cohort,
    )

    _one_cohort_per_programme_in_every_state()
    status = {
        c.programme_id: (c.status, c.places_left)
        for c in cohort_availability(cohorts=Cohort.objects.all(), now=NOW)
    }
    accepting = {pk for pk, (s, _left) in status.items() if s in ACCEPTING_STATUSES}
    with_places = {
        pk
        for pk, (s, left) in status.items()
        if s in (CohortStatus.OPEN, CohortStatus.UPCOMING_NOT_OPEN) and left > 0
    }
    to_come = {pk for pk, (s, _left) in status.items() if s not in GONE_STATUSES}
    assert accepting and with_places and to_come != set(status)

    listed = {p.pk: p for p in programme_list_public(now=NOW)}
    assert {pk for pk, p in listed.items() if p.accepting_now} == accepting
    assert {pk for pk, p in listed.items() if p.has_places} == with_places

    def matching(**flags) -> set[int]:
        condition = cohort_conditions(now=NOW, **flags)
        found = programmes_with_cohort(
            programmes=programme_list_public(now=NOW), condition=condition
        )
        return set(found.values_list("pk", flat=True))

    assert matching(accepting_now=True) == accepting
    assert matching(places_available=True) == with_places
    assert matching(starts_from=TODAY - 400 * DAY) == to_come
