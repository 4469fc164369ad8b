"""Downloads of what a console list shows: the queue, the waiting list, attendance.

Screeners and managers may both download: screeners work through the same lists, and
the files hold nothing the pages do not already show them. Each file is built from an
explicit list of columns in console/exports.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from applications.models import Application
from applications.services.places import waiting_list
from portal.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    dated_filename,
    write_xlsx_table,
)
from programmes.models import Cohort
from registers.selectors import attendance_summary

from .. import exports
from ..selectors import attendance_list, console_cohort, screening_queue
from .access import forbidden, user_of
from .screening import queue_filters

UNKNOWN_FORMAT = _("Choose CSV or XLSX for the download.")


def _format_or_none(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", exports.CSV)
    return fmt if fmt in exports.FORMATS else None


def _unknown_format(request: HttpRequest) -> HttpResponse:
    # A hand-made link: the console's "cannot do this" page, as a bad request.
    response = forbidden(request, UNKNOWN_FORMAT, title=_("This download is not available"))
    response.status_code = 400
    return response


def _spreadsheet(
    *,
    cohort: Cohort,
    fmt: str,
    what: str,
    title: Promise,
    columns: tuple[exports.Column, ...],
    applications: Iterable[Application],
) -> HttpResponse:
    """The file of `applications` in `columns`, named after the programme and cohort."""
    filename = dated_filename(
        parts=[(cohort.programme.title, "programme"), (cohort.name, "cohort")],
        what=what,
        fmt=fmt,
    )
    headings = exports.headings(columns)
    rows = exports.rows(applications, columns)
    if fmt == exports.XLSX:
        out = io.BytesIO()
        write_xlsx_table(
            out,
            title=str(title),
            headings=headings,
            rows=rows,
            date_columns=exports.date_columns(columns),
        )
        response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(csv_bytes(headings, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def queue_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The queue with its current filters and order, every page of it."""
    user = user_of(request)
    cohort = console_cohort(user=user, pk=pk)
    fmt = _format_or_none(request)
    if fmt is None:
        return _unknown_format(request)
    _form, filters, sort = queue_filters(request)
    applications = screening_queue(cohort=cohort, filters=filters, sort=sort, user=user)
    return _spreadsheet(
        cohort=cohort,
        fmt=fmt,
        what="applications",
        title=_("Applications"),
        columns=exports.QUEUE_COLUMNS,
        applications=applications.iterator(chunk_size=500),
    )


@login_required
@require_GET
def waiting_list_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The waiting list in its order, as the page shows it."""
    cohort = console_cohort(user=user_of(request), pk=pk)
    fmt = _format_or_none(request)
    if fmt is None:
        return _unknown_format(request)
    entries = list(waiting_list(cohort).select_related("applicant"))
    for position, entry in enumerate(entries, start=1):
        entry.position = position  # type: ignore[attr-defined]
    return _spreadsheet(
        cohort=cohort,
        fmt=fmt,
        what="waiting-list",
        title=_("Waiting list"),
        columns=exports.WAITING_LIST_COLUMNS,
        applications=entries,
    )


@login_required
@require_GET
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who took up a place, with their register marks, as the page shows them."""
    cohort = console_cohort(user=user_of(request), pk=pk)
    fmt = _format_or_none(request)
    if fmt is None:
        return _unknown_format(request)
    summary = attendance_summary(cohort=cohort)
    people = list(attendance_list(cohort=cohort))
    for person in people:
        person.sessions = summary.get(person.pk)  # type: ignore[attr-defined]
    return _spreadsheet(
        cohort=cohort,
        fmt=fmt,
        what="attendance",
        title=_("Attendance"),
        columns=exports.ATTENDANCE_COLUMNS,
        applications=people,
    )
