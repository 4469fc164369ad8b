"""Downloads of what a console list shows. Screeners and managers may both download:
screeners work through the same queue, and it holds nothing they cannot already see."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    dated_filename,
    write_xlsx_table,
)

from .. import exports
from ..selectors import console_cohort, screening_queue
from .access import forbidden, user_of
from .screening import queue_filters

UNKNOWN_FORMAT = _("Choose CSV or XLSX for the download.")


@login_required
@require_GET
def queue_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The queue with its current filters and order, every page of it."""
    user = user_of(request)
    cohort = console_cohort(user=user, pk=pk)
    fmt = request.GET.get("format", exports.CSV)
    if fmt not in exports.FORMATS:
        # A hand-made link: the console's "cannot do this" page, as a bad request.
        response = forbidden(request, UNKNOWN_FORMAT, title=_("This download is not available"))
        response.status_code = 400
        return response
    _form, filters, sort = queue_filters(request)
    applications = screening_queue(cohort=cohort, filters=filters, sort=sort, user=user)
    filename = dated_filename(
        parts=[(cohort.programme.title, "programme"), (cohort.name, "cohort")],
        what="applications",
        fmt=fmt,
    )
    headings = exports.headings()
    rows = exports.rows(applications.iterator(chunk_size=500))
    if fmt == exports.XLSX:
        out = io.BytesIO()
        write_xlsx_table(
            out,
            title=str(_("Applications")),
            headings=headings,
            rows=rows,
            date_columns=exports.date_columns(),
        )
        response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(csv_bytes(headings, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response
