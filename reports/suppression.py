"""The one suppression function every report, chart and CSV goes through.

Rules (docs/adr/0009-reports.md):
1. Primary: a count from 1 to SMALLEST_SHOWN - 1 is hidden and shown as "fewer than 5".
   Zero is shown: it identifies nobody.
2. Secondary: a line whose total is published must never have exactly one hidden cell,
   or the total minus the cells shown would give it back. Such a line also hides its
   smallest shown cell above zero (hiding a zero would not help: a reader who knows
   hidden counts are never zero could put it back); when none is left, the total is
   hidden instead. Repeated until no line has exactly one hidden cell.
3. A breakdown of fewer than MIN_POPULATION people is withheld entirely.
4. Percentages are only given for shown cells of a line whose total is shown.

Tables here are columns of cells that partition the column's total (a group-by-stage
table is one such column per stage). Rows are never summed, so only columns are lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

SMALLEST_SHOWN = 5
MIN_POPULATION = 10

FEWER_THAN_5 = _("fewer than 5")
WITHHELD = _("withheld")
TOO_FEW_PEOPLE = _("not shown: fewer than 10 people")


class Hidden(StrEnum):
    SHOWN = ""
    SMALL = "small"  # primary: 1 to 4
    SECONDARY = "secondary"  # would let a small count be worked out
    POPULATION = "population"  # the whole breakdown is of too few people


@dataclass(frozen=True)
class Cell:
    """One published figure. `count` and `percent` are None whenever it is hidden."""

    count: int | None
    percent: float | None
    hidden: Hidden

    @property
    def is_hidden(self) -> bool:
        return self.hidden != Hidden.SHOWN

    @property
    def text(self) -> str:
        if self.hidden == Hidden.SMALL:
            return str(FEWER_THAN_5)
        if self.hidden == Hidden.SECONDARY:
            return str(WITHHELD)
        if self.hidden == Hidden.POPULATION:
            return str(TOO_FEW_PEOPLE)
        return str(self.count)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.0f}%"


@dataclass(frozen=True)
class Column:
    """A suppressed column: its cells (one per group) and its total."""

    cells: tuple[Cell, ...]
    total: Cell


def _primary(count: int) -> Hidden:
    return Hidden.SMALL if 0 < count < SMALLEST_SHOWN else Hidden.SHOWN


def suppress_column(
    counts: Sequence[int],
    *,
    min_population: int = MIN_POPULATION,
    total_withheld: bool = False,
) -> Column:
    """Suppress one column of counts whose total, their sum, is published beside them.

    The groups must cover everyone counted (with "prefer not to say" and "not
    answered" as groups of their own), so that the total is exactly their sum.
    `total_withheld` says another table hides this total (e.g. the funnel hid it to
    protect a small count): then no cell may be shown either, as the cells shown
    would add up to it.
    """
    if any(count < 0 for count in counts):
        raise ValueError("counts cannot be negative")
    whole = sum(counts)
    if total_withheld:
        cells = tuple(Cell(None, None, Hidden.SECONDARY) for _ in counts)
        return Column(cells, Cell(None, None, Hidden.SECONDARY))
    total_hidden = _primary(whole)
    if whole < min_population:
        cells = tuple(Cell(None, None, Hidden.POPULATION) for _ in counts)
        return Column(cells, _cell(whole, total_hidden, None))
    hidden = [_primary(count) for count in counts]
    while total_hidden == Hidden.SHOWN:
        positions = [i for i, state in enumerate(hidden) if state != Hidden.SHOWN]
        if len(positions) != 1:
            break
        candidates = [
            i for i, count in enumerate(counts) if hidden[i] == Hidden.SHOWN and count > 0
        ]
        if not candidates:
            total_hidden = Hidden.SECONDARY
            break
        smallest = min(candidates, key=lambda i: (counts[i], i))
        hidden[smallest] = Hidden.SECONDARY
    denominator = None if total_hidden != Hidden.SHOWN or whole == 0 else whole
    return Column(
        tuple(
            _cell(count, state, denominator) for count, state in zip(counts, hidden, strict=True)
        ),
        _cell(whole, total_hidden, None),
    )


def suppress_table(
    columns: Sequence[Sequence[int]], *, min_population: int = MIN_POPULATION
) -> list[Column]:
    """Suppress each column of a table on its own (columns are the only lines summed)."""
    return [suppress_column(column, min_population=min_population) for column in columns]


def suppress_count(count: int) -> Cell:
    """A figure published on its own, in no table with a total: only the primary rule."""
    return _cell(count, _primary(count), None)


def _cell(count: int, state: Hidden, denominator: int | None) -> Cell:
    if state != Hidden.SHOWN:
        return Cell(None, None, state)
    percent = None if denominator is None else 100 * count / denominator
    return Cell(count, percent, state)
