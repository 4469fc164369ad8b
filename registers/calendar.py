"""An enrolled person's sessions as an iCalendar file they can add to their calendar."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from applications.models import Application

from .models import CohortSession

PRODID = "-//Leadership programmes for children's services//Session dates//EN"


def sessions_calendar(*, application: Application, sessions: Iterable[CohortSession]) -> bytes:
    cohort = application.cohort
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{cohort.programme.title}: {cohort.name}")
    # Stable UIDs, so a re-downloaded file updates events rather than duplicating them.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@{domain}")
        event.add("dtstamp", timezone.now())
        event.add("summary", f"{cohort.programme.title}: {session.title}")
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        where = "Online" if session.online else ""
        if session.venue:
            where = f"{where}: {session.venue}" if where else session.venue
        if where:
            event.add("location", where)
        calendar.add_component(event)
    return calendar.to_ical()
