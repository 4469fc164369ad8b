"""What every CSV and XLSX the portal writes has in common, whoever writes it.

The formula guard, the date format, the byte-order mark and safe file names live
here so the provider exports and the staff console's exports cannot drift apart.
The apps that write spreadsheets (providers, console) each depend on this module
and never on one another.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.utils import timezone
from django.utils.text import slugify

# One list of the characters that start a formula, for the exports' guard on the way out
# and the invitation import's on the way in.
from .validators import FORMULA_STARTS

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel shows a date cell this way whatever the reader's locale; the CSV has the same
# ISO text. Dates in the XLSX are real dates, so they sort and filter as dates.
XLSX_DATE_FORMAT = "yyyy-mm-dd"
# Room for a yyyy-mm-dd date; Excel's default width shows one as "########".
XLSX_DATE_WIDTH = 12
FILENAME_PART_MAX = 60
# Excel refuses a sheet title longer than this.
SHEET_TITLE_MAX = 31

# A cell is text, a whole number, a date, or empty. Text is passed as it is: the writers
# below keep it from ever running as a formula (CSV: neutralise; XLSX: typed as a string),
# so a real name that starts with "-" or "=" reaches the XLSX unaltered.
Cell = str | int | dt.date | None


def neutralise(value: str) -> str:
    """Make a cell a spreadsheet can never run as a formula."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(cell: Cell) -> str:
    """A CSV field. Text is neutralised: a CSV has no cell types to say "this is text"."""
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, str):
        return neutralise(cell)
    return str(cell)


def csv_bytes(headings: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A whole CSV (BOM, headings, rows) for lists small enough to build in memory.

    Text cells are neutralised by csv_text; headings are ours and need no guard.
    """
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_cell(sheet: Any, cell: Cell) -> Any:
    """A value for a write-only sheet: dates become date cells shown as yyyy-mm-dd, and text
    becomes a string cell, whatever it starts with, so it is shown exactly as typed and
    never run (openpyxl would otherwise store text starting with "=" as a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(cell, dt.date):
        dated = WriteOnlyCell(sheet, value=cell)
        dated.number_format = XLSX_DATE_FORMAT
        return dated
    if isinstance(cell, str) and cell:
        text = WriteOnlyCell(sheet, value=cell)
        text.data_type = "s"
        return text
    return cell


def write_xlsx_table(
    out: IO[bytes],
    *,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    date_columns: Sequence[int] = (),
) -> int:
    """Write one sheet (openpyxl's write-only mode) to `out`; return the number of rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:SHEET_TITLE_MAX])
    for column in date_columns:
        sheet.column_dimensions[get_column_letter(column + 1)].width = XLSX_DATE_WIDTH
    sheet.append(list(headings))
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(sheet, cell) for cell in row])
        count += 1
    workbook.save(out)
    return count


def filename_part(text: str, fallback: str) -> str:
    """One part of a file name: ASCII letters, digits and hyphens only."""
    # Underscores separate the parts, so none is left inside one.
    part = slugify(text).replace("_", "-")[:FILENAME_PART_MAX].strip("-")
    return part or fallback


def dated_filename(*, parts: Sequence[tuple[str, str]], what: str, fmt: str) -> str:
    """`<part>_<part>_<what>_<date>.<fmt>` from (text, fallback) pairs: safe in a header
    and on any file system, and says what is inside once it is downloaded."""
    named = [filename_part(text, fallback) for text, fallback in parts]
    stamp = timezone.localdate().isoformat()
    return "_".join([*named, what, stamp]) + f".{fmt}"
