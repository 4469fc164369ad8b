"""Senior experience from a career history: overlaps count once, gaps do not count."""

from __future__ import annotations

import datetime as dt

from accounts.experience import CareerPeriod, experience_days, experience_years

TODAY = dt.date(2026, 11, 23)
SENIOR = "senior_strategic"


def period(start: str, end: str | None, *, sector="childrens_social_care", seniority=SENIOR):
    return CareerPeriod(
        started_on=dt.date.fromisoformat(start),
        ended_on=dt.date.fromisoformat(end) if end else None,
        sector=sector,
        seniority=seniority,
    )


def test_overlapping_roles_are_counted_once() -> None:
    periods = [period("2020-01-01", "2021-12-31"), period("2021-01-01", "2022-12-31")]
    assert (
        experience_days(periods, today=TODAY)
        == (dt.date(2022, 12, 31) - dt.date(2020, 1, 1)).days + 1
    )


def test_a_role_inside_another_adds_nothing() -> None:
    outer = period("2019-01-01", "2022-12-31")
    assert experience_days([outer, period("2020-06-01", "2020-12-31")], today=TODAY) == (
        experience_days([outer], today=TODAY)
    )


def test_gaps_between_roles_are_not_counted() -> None:
    periods = [period("2018-01-01", "2018-12-31"), period("2020-01-01", "2020-12-31")]
    assert experience_days(periods, today=TODAY) == 365 + 366


def test_adjacent_roles_join_without_double_counting_the_boundary() -> None:
    periods = [period("2021-01-01", "2021-06-30"), period("2021-07-01", "2021-12-31")]
    assert experience_days(periods, today=TODAY) == 365


def test_current_role_counts_up_to_today_and_future_roles_not_at_all() -> None:
    assert experience_days([period("2026-11-01", None)], today=TODAY) == 23
    assert experience_days([period("2027-01-01", None)], today=TODAY) == 0


def test_only_the_given_seniority_and_sectors_count() -> None:
    periods = [
        period("2015-01-01", "2017-12-31", seniority="middle_management"),
        period("2018-01-01", "2019-12-31", sector="health"),
        period("2020-01-01", "2020-12-31"),
    ]
    assert (
        experience_days(periods, today=TODAY, seniority={SENIOR}, sectors={"childrens_social_care"})
        == 366
    )
    assert experience_days(periods, today=TODAY, seniority={SENIOR}) == 366 + 730


def test_years_round_down_so_almost_three_is_not_three() -> None:
    almost = [period("2023-11-25", None)]
    assert experience_years(almost, today=TODAY) == 2.9
    assert experience_years([period("2023-11-23", None)], today=TODAY) >= 3.0


def test_no_history_is_zero() -> None:
    assert experience_years([], today=TODAY) == 0
