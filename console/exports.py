"""The console's spreadsheets of a cohort's applications: what the queue lists, as CSV
or XLSX, built from an explicit list of columns.

Never "every field" of a model or of the snapshot: a column is here only because
someone added it on purpose, so nothing new (equality answers above all, which the
console never shows) can appear in a download by accident. tests/console/
test_exports.py pins the headings to exactly this list. The formula guard, date
cells and file names are portal.spreadsheets', shared with the providers' exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationState, EligibilityOutcome
from portal.spreadsheets import Cell

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)


@dataclass(frozen=True)
class Column:
    heading: Promise
    value: Callable[[Application], Cell]
    is_date: bool = False


def _name(application: Application) -> str:
    return application.applicant.full_name or application.applicant.email


def _assigned(application: Application) -> str:
    person = application.assigned_to
    return (person.full_name or person.email) if person is not None else ""


def _submitted(application: Application) -> Cell:
    when = application.submitted_at
    return timezone.localtime(when).date() if when is not None else None


def _label(choices: type[ApplicationState] | type[EligibilityOutcome], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# The columns of the queue, in the page's words and order. `local_authority` is the
# queue selector's annotation (screening_queue).
QUEUE_COLUMNS: tuple[Column, ...] = (
    Column(_("Reference"), lambda a: a.reference or ""),
    Column(_("Name"), _name),
    Column(_("Email address"), lambda a: a.applicant.email),
    Column(_("Local authority"), lambda a: getattr(a, "local_authority", "") or ""),
    Column(_("Sector"), lambda a: str(a.snapshot.get("sector") or "")),
    Column(_("Status"), lambda a: _label(ApplicationState, a.state)),
    Column(_("Automatic check"), lambda a: _label(EligibilityOutcome, a.eligibility_outcome)),
    Column(_("Submitted"), _submitted, is_date=True),
    Column(_("Assigned to"), _assigned),
)


def _joined(application: Application) -> Cell:
    when = application.waitlisted_at
    return timezone.localtime(when).date() if when is not None else None


def _sessions(mark: str) -> Callable[[Application], Cell]:
    """A count of register marks, from the `sessions` the attendance view sets on each row
    (registers.selectors.attendance_summary, one query for the cohort)."""

    def value(application: Application) -> Cell:
        summary = getattr(application, "sessions", None) or {}
        return int(summary.get(mark, 0))

    return value


# The waiting list in its order; `position` is set by the view as it numbers the rows.
WAITING_LIST_COLUMNS: tuple[Column, ...] = (
    Column(_("Position"), lambda a: int(getattr(a, "position", 0))),
    Column(_("Reference"), lambda a: a.reference or ""),
    Column(_("Name"), _name),
    Column(_("Email address"), lambda a: a.applicant.email),
    Column(_("Joined the waiting list"), _joined, is_date=True),
)

ATTENDANCE_COLUMNS: tuple[Column, ...] = (
    Column(_("Reference"), lambda a: a.reference or ""),
    Column(_("Name"), _name),
    Column(_("Email address"), lambda a: a.applicant.email),
    Column(_("Status"), lambda a: _label(ApplicationState, a.state)),
    Column(_("Sessions present"), _sessions("present")),
    Column(_("Sessions absent"), _sessions("absent")),
    Column(_("Sessions with apologies"), _sessions("apologies")),
)


def headings(columns: tuple[Column, ...] = QUEUE_COLUMNS) -> list[str]:
    return [str(column.heading) for column in columns]


def date_columns(columns: tuple[Column, ...] = QUEUE_COLUMNS) -> list[int]:
    return [index for index, column in enumerate(columns) if column.is_date]


def rows(
    applications: Iterable[Application], columns: tuple[Column, ...] = QUEUE_COLUMNS
) -> Iterator[list[Cell]]:
    """One row per application: dates stay dates; text is guarded by the writers."""
    for application in applications:
        yield [column.value(application) for column in columns]
