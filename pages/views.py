"""The pages every footer links to: privacy, accessibility, cookies and contact.

Facts that code decides (how long things are kept, which cookies are set) are read
from the settings and constants that decide them, so the words cannot drift from
what the portal does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from notifications.formatting import format_date
from notifications.outbox import sent_mail_kept_for
from providers.services import EXPORT_KEEP_FOR

from .selectors import programme_contacts

# Change these when the statement is reviewed after a change to how pages are tested.
ACCESSIBILITY_STATEMENT_PREPARED = dt.date(2026, 12, 2)
ACCESSIBILITY_STATEMENT_REVIEWED = dt.date(2026, 12, 2)

DAY = 24 * 60 * 60


def _days(seconds: int) -> str:
    days = seconds // DAY
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {
            "sent_mail_kept": _days(int(sent_mail_kept_for().total_seconds())),
            "export_kept": _days(int(EXPORT_KEEP_FOR.total_seconds())),
            "session_kept": _days(settings.SESSION_COOKIE_AGE),
            # Set when the retention job is installed (privacy app); no promise without it.
            "inactive_kept": (
                _days(settings.RETENTION_DAYS * DAY)
                if getattr(settings, "RETENTION_DAYS", 0)
                else ""
            ),
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/accessibility.html",
        {
            "site_url": settings.SITE_URL,
            "prepared": format_date(ACCESSIBILITY_STATEMENT_PREPARED),
            "reviewed": format_date(ACCESSIBILITY_STATEMENT_REVIEWED),
        },
    )


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_kept": _days(settings.SESSION_COOKIE_AGE),
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_kept": _days(settings.CSRF_COOKIE_AGE),
            "messages_cookie": CookieStorage.cookie_name,
        },
    )


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact.html", {"programmes": programme_contacts()})
