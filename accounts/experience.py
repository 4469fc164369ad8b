"""Years of experience from a career history, counting overlapping roles once.

Someone who was an assistant director and, for a year, also an interim deputy
director has one year of experience for that year, not two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, slots=True)
class CareerPeriod:
    started_on: dt.date
    ended_on: dt.date | None
    sector: str
    seniority: str


def experience_days(
    periods: Iterable[CareerPeriod],
    *,
    today: dt.date,
    seniority: Collection[str] | None = None,
    sectors: Collection[str] | None = None,
) -> int:
    """Days covered by at least one matching period, up to and including today."""
    spans = sorted(
        (p.started_on, min(p.ended_on or today, today))
        for p in periods
        if (seniority is None or p.seniority in seniority)
        and (sectors is None or p.sector in sectors)
        and p.started_on <= today
    )
    total = 0
    current_start: dt.date | None = None
    current_end: dt.date | None = None
    for start, end in spans:
        if current_end is not None and start <= current_end + dt.timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def experience_years(
    periods: Iterable[CareerPeriod],
    *,
    today: dt.date,
    seniority: Collection[str] | None = None,
    sectors: Collection[str] | None = None,
) -> float:
    """Whole and part years, rounded down to one decimal place so 2.99 never shows as 3."""
    days = experience_days(periods, today=today, seniority=seniority, sectors=sectors)
    return int(days / DAYS_PER_YEAR * 10) / 10
