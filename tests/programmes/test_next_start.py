"""The stored next start date: the database keeps it current, the directory trusts it only
while it holds, and a new day is caught up by the daily task (migration 0011)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from programmes.models import Cohort, Programme
from programmes.selectors import programme_list_public, programmes_soonest_first
from programmes.services.next_starts import next_starts_refresh
from programmes.tasks import next_starts_refresh_task
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _stored(programme: Programme) -> tuple[dt.date | None, dt.date | None]:
    return Programme.objects.values_list("next_start_on", "next_start_checked_on").get(
        pk=programme.pk
    )


def _row_version(programme: Programme) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM programmes_programme WHERE id = %s", [programme.pk])
        return cursor.fetchone()[0]


def _worked_out(programme: Programme, today: dt.date) -> dt.date | None:
    starts = Cohort.objects.filter(
        programme=programme, cancelled_at__isnull=True, starts_on__gte=today
    ).values_list("starts_on", flat=True)
    return min(starts, default=None)


def test_a_programme_with_no_cohorts_has_no_next_start_as_of_today() -> None:
    programme = factories.ProgrammeFactory()
    assert _stored(programme) == (None, TODAY)


def test_adding_moving_cancelling_and_deleting_cohorts_keep_the_date_current() -> None:
    programme = factories.ProgrammeFactory()
    later = factories.CohortFactory(programme=programme, starts_on=TODAY + 40 * DAY)
    assert _stored(programme) == (TODAY + 40 * DAY, TODAY)
    sooner = factories.CohortFactory(programme=programme, starts_on=TODAY + 10 * DAY)
    assert _stored(programme)[0] == TODAY + 10 * DAY
    sooner.starts_on = TODAY + 60 * DAY
    sooner.save()
    assert _stored(programme)[0] == TODAY + 40 * DAY
    later.cancelled_at = timezone.now()
    later.save()
    assert _stored(programme)[0] == TODAY + 60 * DAY
    sooner.delete()
    assert _stored(programme)[0] is None


def test_bulk_inserted_cohorts_set_every_programmes_date_in_one_statement() -> None:
    programmes = factories.ProgrammeFactory.create_batch(3)
    template = factories.CohortFactory.build
    Cohort.objects.bulk_create(
        [
            template(programme=programme, starts_on=TODAY + (n + 1) * 7 * DAY)
            for programme in programmes
            for n in range(3)
        ]
    )
    assert [_stored(p)[0] for p in programmes] == [TODAY + 7 * DAY] * 3


def test_a_cohort_moved_to_another_programme_updates_both() -> None:
    first, second = factories.ProgrammeFactory.create_batch(2)
    cohort = factories.CohortFactory(programme=first, starts_on=TODAY + 5 * DAY)
    cohort.programme = second
    cohort.save()
    assert (_stored(first)[0], _stored(second)[0]) == (None, TODAY + 5 * DAY)


def test_places_changing_does_not_touch_the_programme_row() -> None:
    cohort = factories.CohortFactory(starts_on=TODAY + 5 * DAY, capacity=10)
    before = _row_version(cohort.programme)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)
    cohort.refresh_from_db()
    cohort.places_taken = 4
    cohort.save()
    assert _row_version(cohort.programme) == before


def test_a_stale_copy_saved_by_django_cannot_write_an_old_date_back() -> None:
    programme = factories.ProgrammeFactory()
    stale = Programme.objects.get(pk=programme.pk)
    factories.CohortFactory(programme=programme, starts_on=TODAY + 3 * DAY)
    stale.title = "Renamed meanwhile"
    stale.save()
    assert _stored(programme)[0] == TODAY + 3 * DAY


@pytest.mark.parametrize("offset_days", [-30, -1, 0, 1, 9, 10, 11, 45, 400])
def test_the_directory_gives_the_true_next_start_on_any_day(offset_days: int) -> None:
    """Read on a later day (the stored date has gone out of date) or an earlier one (it was
    worked out after that day), the directory still shows each programme's true next start."""
    programmes = factories.ProgrammeFactory.create_batch(4)
    for index, programme in enumerate(programmes):
        for start in (index * 10, 10 + index * 20, 200):
            factories.CohortFactory(programme=programme, starts_on=TODAY + start * DAY)
    factories.CohortFactory(
        programme=programmes[0], starts_on=TODAY + 5 * DAY, cancelled_at=timezone.now()
    )
    # Began before today: the next start on a day read from before it, not the stored one.
    factories.CohortFactory(programme=programmes[3], starts_on=TODAY - 20 * DAY)
    when = timezone.now() + offset_days * DAY
    day = timezone.localdate(when)
    listed = programme_list_public(now=when).order_by(*programmes_soonest_first())
    shown = {p.pk: p.next_start for p in listed}
    assert shown == {p.pk: _worked_out(p, day) for p in programmes}
    expected = sorted(programmes, key=lambda p: (_worked_out(p, day) or dt.date.max, p.title, p.pk))
    assert [p.pk for p in listed] == [p.pk for p in expected]


def test_the_daily_task_works_out_the_dates_a_new_day_has_overtaken() -> None:
    current = factories.CohortFactory(starts_on=TODAY + 30 * DAY).programme
    overtaken = factories.CohortFactory(starts_on=TODAY + 2 * DAY).programme
    factories.CohortFactory(programme=overtaken, starts_on=TODAY + 50 * DAY)
    # As if the stored dates were worked out days ago, before the first cohort began.
    Programme.objects.filter(pk=overtaken.pk).update(next_start_checked_on=None)
    with connection.cursor() as cursor:
        # Triggers off for this one write only (the test database's user is a superuser).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE programmes_programme SET next_start_on = %s, next_start_checked_on = %s"
            " WHERE id = %s",
            [TODAY - 3 * DAY, TODAY - 10 * DAY, overtaken.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    untouched = _row_version(current)
    assert next_starts_refresh_task.delay().get() == 1
    assert _stored(overtaken) == (TODAY + 2 * DAY, TODAY)
    assert _row_version(current) == untouched
    assert next_starts_refresh() == 0
