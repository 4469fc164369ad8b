"""Working out again the stored next start dates that a new day has made out of date.

The dates are written by the database (migration 0011) whenever a programme or its cohorts
change. A date also stops holding, with no write at all, on the day after a cohort begins;
the directory then falls back to a subquery for that programme, which is correct but
slower. Once a day this touches those programmes' rows, and the trigger works their dates
out for the new day.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ..models import Programme


def next_starts_refresh() -> int:
    """Touch every programme whose stored date does not hold today; return how many."""
    if connection.vendor != "postgresql":
        return 0  # no triggers there: the directory always works the date out
    today = timezone.localdate()
    stale = Programme.objects.filter(
        Q(next_start_on__lt=today)
        | Q(next_start_checked_on__gt=today)
        | Q(next_start_checked_on__isnull=True)
    )
    # The trigger fills the column in again; a queryset update leaves updated_at alone.
    return stale.update(next_start_checked_on=None)
