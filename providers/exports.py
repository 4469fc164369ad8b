"""One row builder for every export: the page's CSV and XLSX, the API's CSV and the
background job. Whatever the route, the columns, headings and formula guard are the same.

The formula guard, date format and file-name rules are portal.spreadsheets', shared
with the staff console's exports.
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
from portal.spreadsheets import (
    BOM,
    XLSX_DATE_WIDTH,
    Cell,
    csv_text,
    dated_filename,
    xlsx_cell,
)

CHUNK_ROWS = 2000
DATE_COLUMN = 6  # "Enrolment date", counted from 0 in headings()


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


RowBuilder = Callable[[dict[str, Any]], list[Cell]]


def row_builder() -> RowBuilder:
    """The one function that turns a row of providers.selectors.ENROLMENT_FIELDS into
    export cells. Labels and the time zone are looked up once per export, not per row:
    at 100,000 rows, translation lookups were a third of the time.

    Dates stay dates (in the display time zone); each format writes them its own way:
    ISO text in the CSV, date cells in the XLSX. Text is guarded by the writers."""
    labels = {value: str(label) for value, label in ApplicationState.choices}
    zone = timezone.get_current_timezone()

    def build(values: dict[str, Any]) -> list[Cell]:
        enrolled_at = values["enrolled_at"]
        state = values["state"]
        return [
            values["full_name"],
            values["email"],
            values["job_title"],
            values["employer"],
            values["local_authority"],
            values["nation"],
            enrolled_at.astimezone(zone).date() if enrolled_at else None,
            labels.get(state, state),
            values["accreditation"],
            values["programme_title"],
            values["cohort_name"],
        ]

    return build


def enrolment_row(values: dict[str, Any]) -> list[Cell]:
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
        writer.writerow([csv_text(cell) for cell in build(values)])
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
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Enrolments"))[:31])
    sheet.column_dimensions[get_column_letter(DATE_COLUMN + 1)].width = XLSX_DATE_WIDTH
    sheet.append(headings())
    build = row_builder()

    count = 0
    for values in rows:
        sheet.append([xlsx_cell(sheet, cell) for cell in build(values)])
        count += 1
    workbook.save(out)
    return count


def xlsx_tempfile(rows: Iterable[dict[str, Any]]) -> IO[bytes]:
    """The XLSX in a temporary file, rewound; it disappears when closed."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(rows, out)
    out.seek(0)
    return out


def export_filename(*, programme: str, cohort: str | None = None, fmt: str) -> str:
    """`<programme>_<cohort>_enrolments_<date>.<fmt>`, or without the cohort for a whole
    programme (portal.spreadsheets.dated_filename says what is safe in it)."""
    parts = [(programme, "programme")]
    if cohort is not None:
        parts.append((cohort, "cohort"))
    return dated_filename(parts=parts, what="enrolments", fmt=fmt)
