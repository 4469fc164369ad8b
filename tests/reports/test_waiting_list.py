"""Waiting lists over time, from the history: length each day, offers from it, median wait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import ApplicationState as S
from reports.figures import waiting_list
from reports.report import cohort_report
from reports.selectors import waiting_list_events
from tests import factories
from tests.reports.factories import person

pytestmark = pytest.mark.django_db

WAITED_THEN_OFFERED = (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED, S.OFFERED, S.ENROLLED)
STILL_WAITING = (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED)


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, 12))


def test_the_list_length_offers_from_it_and_the_median_wait_come_from_the_history():
    cohort = factories.CohortFactory()
    # Five join on 1 March and are offered places on days 3, 5, 7, 9 and 11.
    for offer_day in (3, 5, 7, 9, 11):
        times = [_at(1), _at(1), _at(1), _at(offer_day), _at(offer_day)]
        person(cohort, WAITED_THEN_OFFERED, times=times)
    # Six more join on 2 March and are still waiting.
    for _ in range(6):
        person(cohort, STILL_WAITING, times=[_at(2), _at(2), _at(2)])
    result = waiting_list(waiting_list_events(cohorts=[cohort]))
    lengths = {point.day.day: point.cell.count for point in result.points}
    assert lengths == {1: 5, 2: 11, 3: 10, 5: 9, 7: 8, 9: 7, 11: 6}
    assert result.joined.count == 11
    assert result.offered_from_list.count == 5
    assert result.median_days == pytest.approx(6.0)


def test_a_short_list_shows_fewer_than_5_and_no_median():
    cohort = factories.CohortFactory()
    person(cohort, WAITED_THEN_OFFERED, times=[_at(1), _at(1), _at(1), _at(4), _at(4)])
    person(cohort, STILL_WAITING, times=[_at(1), _at(1), _at(2)])
    result = waiting_list(waiting_list_events(cohorts=[cohort]))
    assert {point.cell.count for point in result.points} == {None}
    assert result.offered_from_list.text == "fewer than 5"
    assert result.median_days is None


def test_the_cohort_report_charts_the_waiting_list():
    cohort = factories.CohortFactory()
    for _ in range(6):
        person(cohort, STILL_WAITING, times=[_at(2), _at(2), _at(2)])
    report = cohort_report(cohort=cohort)
    section = next(s for s in report.sections if s.key == "waiting")
    assert section.chart is not None
    assert section.table.rows == (("2 Mar 2026", "6"),)
