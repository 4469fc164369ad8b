"""One row builder for every export: the page's CSV and XLSX, the API's CSV and the
background job. Whatever the route, the columns, headings and formula guard are the same.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import ApplicationState

BOM = "\ufeff"
CHUNK_ROWS = 2000
# OWASP's list: a spreadsheet treats a cell starting with any of these as a formula
# (tab and carriage return can hide one after them).
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """Make a cell a spreadsheet can never run as a formula."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def headings() -> list[str]:
    # A function, not a constant, so the headings follow the active language.
    return [
        _("Name"),
        _("Email"),
        _("Job title"),
        _("Employer"),
        _("Local authority"),
        _("Nation"),
        _("Enrolment date"),
        _("Status"),
        _("Accreditation"),
        _("Programme"),
        _("Cohort"),
    ]


def status_label(state: str) -> str:
    return str(dict(ApplicationState.choices).get(state, state))


RowBuilder = Callable[[dict[str, Any]], list[str]]


def row_builder() -> RowBuilder:
    """The one function that turns a row of providers.selectors.ENROLMENT_FIELDS into
    export cells. Labels and the time zone are looked up once per export, not per row:
    at 100,000 rows, translation lookups were a third of the time."""
    labels = {value: str(label) for value, label in ApplicationState.choices}
    zone = timezone.get_current_timezone()

    def build(values: dict[str, Any]) -> list[str]:
        enrolled_at = values["enrolled_at"]
        state = values["state"]
        return [
            neutralise(values["full_name"]),
            neutralise(values["email"]),
            neutralise(values["job_title"]),
            neutralise(values["employer"]),
            neutralise(values["local_authority"]),
            neutralise(values["nation"]),
            enrolled_at.astimezone(zone).date().isoformat() if enrolled_at else "",
            labels.get(state, state),
            neutralise(values["accreditation"]),
            neutralise(values["programme_title"]),
            neutralise(values["cohort_name"]),
        ]

    return build


def enrolment_row(values: dict[str, Any]) -> list[str]:
    """One row on its own; exports of many rows use row_builder() once."""
    return row_builder()(values)


def csv_chunks(rows: Iterable[dict[str, Any]], batch: int = 500) -> Iterator[bytes]:
    """The CSV a chunk at a time: BOM and headings first, then rows as they arrive."""
    build = row_builder()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(headings())
    pending = 0
    for values in rows:
        writer.writerow(build(values))
        pending += 1
        if pending >= batch:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """Write the XLSX to `out` in openpyxl's write-only mode; return the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Enrolments"))[:31])
    sheet.append(headings())
    build = row_builder()
    count = 0
    for values in rows:
        sheet.append(build(values))
        count += 1
    workbook.save(out)
    return count


def xlsx_tempfile(rows: Iterable[dict[str, Any]]) -> IO[bytes]:
    """The XLSX in a temporary file, rewound; it disappears when closed."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(rows, out)
    out.seek(0)
    return out


def export_filename(name: str, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    safe = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60]
    return f"enrolments-{safe}-{stamp}.{fmt}"
