"""A programme's cohorts as an iCalendar feed: one all-day event per cohort."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from notifications.formatting import format_datetime

from .models import Cohort, Programme

PRODID = "-//Leadership programmes for children's services//Cohort dates//EN"


def programme_calendar(*, programme: Programme, cohorts: Iterable[Cohort], page_url: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", programme.title)
    # UIDs must stay the same wherever the feed is fetched from, so they use
    # the configured site address, not the request's Host header.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    for cohort in cohorts:
        event = icalendar.Event()
        event.add("uid", f"cohort-{cohort.pk}@{domain}")
        event.add("dtstamp", cohort.updated_at or timezone.now())
        event.add("summary", f"{programme.title}: {cohort.name}")
        event.add("dtstart", cohort.starts_on)
        # All-day events end on the day after the last day (RFC 5545, 3.6.1).
        event.add("dtend", cohort.ends_on + dt.timedelta(days=1))
        if cohort.venue:
            event.add("location", cohort.venue)
        if cohort.is_cancelled:
            # Calendars that already hold the event show it struck through.
            event.add("status", "CANCELLED")
        lines = [programme.summary, f"{cohort.get_delivery_mode_display()}."]
        if cohort.applications_close_at:
            close = timezone.localtime(cohort.applications_close_at)
            lines.append(f"Applications close {format_datetime(close)}.")
        lines.append(page_url)
        event.add("description", "\n".join(lines))
        event.add("url", page_url)
        calendar.add_component(event)
    return calendar.to_ical()
