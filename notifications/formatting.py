"""One way to write dates and times for people, in every email and on any page.

"9 December 2026" and "9 December 2026, 17:00 (UK time)": the same words whatever
the server's platform (no `%-d`, which only Linux's strftime knows), always in UK
time whatever the server's zone, and the month's name in the active language.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.translation import gettext

UK = ZoneInfo("Europe/London")

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"


def format_date(value: dt.date) -> str:
    """Return "9 December 2026". A datetime is first converted to UK time."""
    if isinstance(value, dt.datetime):
        value = _in_uk(value)
    return dateformat.format(value, DATE_FORMAT)


def format_datetime(value: dt.datetime) -> str:
    """Return "9 December 2026, 17:00 (UK time)". Refuses a naive datetime: its zone is a guess."""
    local = _in_uk(value)
    return gettext("%(date)s, %(time)s (UK time)") % {
        "date": dateformat.format(local, DATE_FORMAT),
        "time": dateformat.format(local, TIME_FORMAT),
    }


def _in_uk(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        raise ValueError("format_datetime needs an aware datetime")
    return timezone.localtime(value, UK)
