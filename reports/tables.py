"""The reports' tables, as text: the page shows them and the CSV downloads write them, so
the two can never disagree, and both only ever hold suppressed figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .figures import FOUR_FIFTHS, Breakdown, CohortRow, Funnel, ReferenceRow, WaitingList
from .suppression import Cell

NUMBER = _("Number")
NO_FIGURE = "-"


@dataclass(frozen=True)
class Table:
    key: str  # the CSV's name: /…/<key>.csv
    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Rows to mark on the page (e.g. a group below four-fifths of the largest group's rate).
    flagged: frozenset[int] = frozenset()


def _percent(value: float | None) -> str:
    return NO_FIGURE if value is None else f"{100 * value:.0f}%"


def _count(cell: Cell) -> str:
    return cell.text


def funnel_table(funnel: Funnel, *, caption: str) -> Table:
    rows = tuple(
        (
            f"  {step.stage.label}" if step.is_screening else str(step.stage.label),
            _count(step.cell),
            "" if step.stage.key == "applied" else _percent(step.conversion),
        )
        for step in funnel.steps
    )
    return Table(
        "funnel",
        caption,
        (
            str(_("Stage")),
            str(NUMBER),
            str(_("Share of the stage before (screening: of applicants)")),
        ),
        rows,
    )


def breakdown_table(breakdown: Breakdown, *, caption: str) -> Table:
    headings = [str(breakdown.dimension.title)]
    for stage in breakdown.stages:
        headings.append(str(stage.label))
    is_equality = breakdown.dimension.is_equality
    if is_equality:
        headings += [
            str(_("%(stage)s: selection rate (against the largest group)") % {"stage": stage.label})
            for stage in breakdown.stages[1:]
        ]
    rows = []
    flagged = set()
    for index, row in enumerate(breakdown.rows):
        cells = [row.label, *(_cell_with_share(cell) for cell in row.cells)]
        if is_equality:
            rates = row.rates[1:] if row.rates else (None,) * (len(breakdown.stages) - 1)
            ratios = row.ratios[1:] if row.ratios else (None,) * (len(breakdown.stages) - 1)
            cells += [
                _rate_and_ratio(rate, ratio) for rate, ratio in zip(rates, ratios, strict=True)
            ]
        if row.flagged:
            flagged.add(index)
        rows.append(tuple(cells))
    rows.append(
        (
            str(_("Total")),
            *(_count(total) for total in breakdown.totals),
            *([""] * (len(headings) - 1 - len(breakdown.totals))),
        )
    )
    return Table(
        f"breakdown-{breakdown.dimension.key}",
        caption,
        tuple(headings),
        tuple(rows),
        frozenset(flagged),
    )


def _cell_with_share(cell: Cell) -> str:
    if cell.count is None or cell.percent is None:
        return cell.text
    return f"{cell.count} ({cell.percent_text})"


def _rate_and_ratio(rate: float | None, ratio: float | None) -> str:
    if rate is None or ratio is None:
        return NO_FIGURE
    if ratio < FOUR_FIFTHS:
        return str(
            _("%(rate)s (%(ratio)s: below 0.8)") % {"rate": _percent(rate), "ratio": f"{ratio:.2f}"}
        )
    return f"{_percent(rate)} ({ratio:.2f})"


def reference_table(rows: Sequence[ReferenceRow], *, caption: str) -> Table:
    return Table(
        "reference",
        caption,
        (
            str(_("Group")),
            str(_("Participants in this cohort")),
            str(_("Directors of children's services")),
            str(_("Reference figure as of, and source")),
        ),
        tuple(
            (
                row.label,
                _cell_with_share(row.cell),
                NO_FIGURE if row.figure is None else f"{row.figure.percent}%",
                NO_FIGURE
                if row.figure is None
                else f"{date_format(row.figure.as_of, 'Y')}: {row.figure.source}",
            )
            for row in rows
        ),
    )


def waiting_table(waiting: WaitingList, *, caption: str) -> Table:
    rows = [(date_format(point.day, "j M Y"), _count(point.cell)) for point in waiting.points]
    return Table(
        "waiting",
        caption,
        (str(_("Day")), str(_("People waiting at the end of the day"))),
        tuple(rows),
    )


def _median(waiting: WaitingList) -> str:
    return NO_FIGURE if waiting.median_days is None else f"{waiting.median_days:.0f}"


def waiting_summary(waiting: WaitingList) -> tuple[tuple[str, str], ...]:
    median = _median(waiting)
    return (
        (str(_("People who joined the waiting list")), _count(waiting.joined)),
        (str(_("Places offered from the waiting list")), _count(waiting.offered_from_list)),
        (str(_("Median days waited before an offer (shown for 5 or more)")), median),
    )


def programme_funnel_table(rows: Sequence[CohortRow], *, caption: str) -> Table:
    keys = ("applied", "eligible", "offered", "enrolled", "completed")
    headings = (
        (
            str(_("Cohort")),
            *(str(step.stage.label) for step in rows[0].funnel.steps if step.stage.key in keys),
            str(_("Joined the waiting list")),
            str(_("Offered from the waiting list")),
            str(_("Median days waited (5 or more offered)")),
        )
        if rows
        else (str(_("Cohort")),)
    )
    return Table(
        "funnel",
        caption,
        headings,
        tuple(
            (
                row.cohort.name,
                *(_count(step.cell) for step in row.funnel.steps if step.stage.key in keys),
                _count(row.waiting.joined),
                _count(row.waiting.offered_from_list),
                _median(row.waiting),
            )
            for row in rows
        ),
    )


def programme_reference_table(rows: Sequence[CohortRow], *, caption: str) -> Table:
    if not rows:
        return Table("reference", caption, (str(_("Cohort")),), ())
    groups = rows[0].reference
    return Table(
        "reference",
        caption,
        (
            str(_("Cohort")),
            *(str(group.label) for group in groups),
        ),
        (
            (
                str(_("Directors of children's services")),
                *(
                    NO_FIGURE if group.figure is None else f"{group.figure.percent}%"
                    for group in groups
                ),
            ),
            *(
                (row.cohort.name, *(_cell_with_share(group.cell) for group in row.reference))
                for row in rows
            ),
        ),
    )
