"""Reports worked out from the selectors' rows. Every figure published passes through
reports.suppression; nothing here reaches a page except suppressed cells.

A cohort's tables share their totals: each column of a breakdown adds up to a stage
of the cohort's funnel, and when the funnel hides a stage the breakdowns withhold
that column too, so no figure shown in one table can undo a hidden one in another.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicationState as S
from equality.models import PREFER_NOT_TO_SAY, EthnicGroup, YesNo
from programmes.models import Cohort

from .dimensions import (
    BLACK_OR_MIXED_GROUPS,
    NOT_ANSWERED,
    NOT_KNOWN,
    Dimension,
)
from .facts import Facts
from .models import ReferenceFigure
from .selectors import WaitingListEvent
from .suppression import (
    SMALLEST_SHOWN,
    Cell,
    Hidden,
    suppress_column,
    suppress_count,
)

FOUR_FIFTHS = 0.8
UNKNOWN_GROUPS = frozenset({PREFER_NOT_TO_SAY, NOT_ANSWERED, NOT_KNOWN})


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    test: Callable[[Facts], bool]


APPLIED = Stage("applied", _("Applied"), lambda f: True)
ELIGIBLE = Stage("eligible", _("Eligible"), lambda f: f.screened_as == S.ELIGIBLE)
NEEDS_REVIEW = Stage("needs_review", _("Needs review"), lambda f: f.screened_as == S.NEEDS_REVIEW)
INELIGIBLE = Stage("ineligible", _("Not eligible"), lambda f: f.screened_as == S.INELIGIBLE)
NOT_SCREENED = Stage(
    "not_screened",
    _("Not screened (invited, waiting, or withdrew first)"),
    lambda f: f.screened_as not in (S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE),
)
OFFERED = Stage("offered", _("Offered a place"), lambda f: f.reached_offer)
ENROLLED = Stage("enrolled", _("Enrolled"), lambda f: f.reached_enrolled)
COMPLETED = Stage("completed", _("Completed"), lambda f: f.completed)

SCREENING = (ELIGIBLE, NEEDS_REVIEW, INELIGIBLE, NOT_SCREENED)
# The stages a group's selection rate is worked out at (each as a share of applicants).
SELECTION_STAGES = (APPLIED, ELIGIBLE, OFFERED, ENROLLED, COMPLETED)


@dataclass(frozen=True)
class Step:
    stage: Stage
    cell: Cell
    # The share of the step before that reached this one, when both are shown.
    conversion: float | None = None
    is_screening: bool = False


@dataclass(frozen=True)
class Funnel:
    steps: tuple[Step, ...]

    def cell(self, key: str) -> Cell:
        return next(step.cell for step in self.steps if step.stage.key == key)


def _rate(part: Cell, whole: Cell) -> float | None:
    if part.count is None or whole.count is None or whole.count == 0:
        return None
    return part.count / whole.count


def funnel(facts: Sequence[Facts]) -> Funnel:
    """applied → eligible / needs review / not eligible → offered → enrolled → completed."""
    applied = suppress_count(len(facts))
    # The screening outcomes split everyone who applied: their column is a partition.
    screening = suppress_column(
        [sum(1 for f in facts if stage.test(f)) for stage in SCREENING], min_population=0
    )
    offered = suppress_count(sum(1 for f in facts if OFFERED.test(f)))
    enrolled = suppress_count(sum(1 for f in facts if ENROLLED.test(f)))
    completed = suppress_count(sum(1 for f in facts if COMPLETED.test(f)))
    steps = [Step(APPLIED, applied)]
    steps += [
        Step(stage, cell, _rate(cell, applied), is_screening=True)
        for stage, cell in zip(SCREENING, screening.cells, strict=True)
    ]
    steps += [
        Step(OFFERED, offered, _rate(offered, applied)),
        Step(ENROLLED, enrolled, _rate(enrolled, offered)),
        Step(COMPLETED, completed, _rate(completed, enrolled)),
    ]
    return Funnel(tuple(steps))


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    cells: tuple[Cell, ...]  # one per stage
    # Per stage: the group's selection rate (share of its applicants) and its ratio to
    # the largest group's; None where any figure it needs is hidden.
    rates: tuple[float | None, ...] = ()
    ratios: tuple[float | None, ...] = ()

    @property
    def flagged(self) -> bool:
        return any(ratio is not None and ratio < FOUR_FIFTHS for ratio in self.ratios)

    def is_below(self, index: int) -> bool:
        ratio = self.ratios[index] if self.ratios else None
        return ratio is not None and ratio < FOUR_FIFTHS


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    stages: tuple[Stage, ...]
    rows: tuple[GroupRow, ...]
    totals: tuple[Cell, ...]
    # The largest group with a shown count, that the four-fifths check compares with.
    reference_group: str = ""

    @property
    def withheld(self) -> bool:
        return all(cell.hidden == Hidden.POPULATION for row in self.rows for cell in row.cells)

    @property
    def flagged_rows(self) -> list[GroupRow]:
        return [row for row in self.rows if row.flagged]

    def column(self, stage_key: str) -> list[tuple[str, Cell]]:
        index = [stage.key for stage in self.stages].index(stage_key)
        return [(row.label, row.cells[index]) for row in self.rows]


def breakdown(
    facts: Sequence[Facts],
    dimension: Dimension,
    *,
    cohort_funnel: Funnel,
    stages: tuple[Stage, ...] = SELECTION_STAGES,
) -> Breakdown:
    """How many of each group reached each stage, with selection rates for equality groups.

    Each stage's column adds up to that stage of `cohort_funnel`; a column the funnel
    hides is withheld here too. A column of fewer than MIN_POPULATION people is withheld.
    """
    groups = [key for key, _label in dimension.groups]
    counts: dict[str, Counter[str]] = {stage.key: Counter() for stage in stages}
    for f in facts:
        group = dimension.classify(f)
        for stage in stages:
            if stage.test(f):
                counts[stage.key][group] += 1
    columns = [
        suppress_column(
            [counts[stage.key][group] for group in groups],
            total_withheld=cohort_funnel.cell(stage.key).is_hidden,
        )
        for stage in stages
    ]
    cells_by_group = [tuple(column.cells[i] for column in columns) for i in range(len(groups))]
    reference = _largest_group(groups, cells_by_group) if dimension.is_equality else None
    rows = []
    for i, (key, label) in enumerate(dimension.groups):
        cells = cells_by_group[i]
        if reference is None or key in UNKNOWN_GROUPS:
            rows.append(GroupRow(key, str(label), cells))
            continue
        rates = tuple(_rate(cell, cells[0]) for cell in cells)
        reference_rates = tuple(
            _rate(cell, cells_by_group[reference][0]) for cell in cells_by_group[reference]
        )
        ratios = tuple(
            None if rate is None or base is None or base == 0 else rate / base
            for rate, base in zip(rates, reference_rates, strict=True)
        )
        rows.append(GroupRow(key, str(label), cells, rates, ratios))
    return Breakdown(
        dimension,
        stages,
        tuple(rows),
        tuple(column.total for column in columns),
        groups[reference] if reference is not None else "",
    )


def _largest_group(groups: list[str], cells_by_group: list[tuple[Cell, ...]]) -> int | None:
    """The group with the most applicants among those shown (never an unknown group)."""
    shown = [
        (cells[0].count, -i)
        for i, (group, cells) in enumerate(zip(groups, cells_by_group, strict=True))
        if group not in UNKNOWN_GROUPS and cells[0].count
    ]
    return -max(shown)[1] if shown else None


@dataclass(frozen=True)
class ReferenceRow:
    group: str
    label: str
    cell: Cell  # the cohort's participants in this group
    figure: ReferenceFigure | None

    @property
    def reference_percent(self) -> Decimal | None:
        return self.figure.percent if self.figure else None


def reference_comparison(
    facts: Sequence[Facts],
    *,
    cohort_funnel: Funnel,
    figures: dict[str, ReferenceFigure],
) -> tuple[ReferenceRow, ...]:
    """Participants (everyone who enrolled) beside the national figures for directors."""
    participants = [f for f in facts if ENROLLED.test(f)]
    withheld = cohort_funnel.cell(ENROLLED.key).is_hidden
    ethnic = [f.equality["ethnic_group"] for f in participants]
    white_british = sum(1 for value in ethnic if value == EthnicGroup.WHITE_BRITISH)
    black_or_mixed = sum(1 for value in ethnic if value in BLACK_OR_MIXED_GROUPS)
    ethnicity = suppress_column(
        [white_british, black_or_mixed, len(participants) - white_british - black_or_mixed],
        total_withheld=withheld,
    )
    disabled = sum(1 for f in participants if f.equality["disability"] == YesNo.YES)
    disability = suppress_column([disabled, len(participants) - disabled], total_withheld=withheld)
    group = ReferenceFigure.Group
    return (
        ReferenceRow(
            group.WHITE_BRITISH,
            str(group.WHITE_BRITISH.label),
            ethnicity.cells[0],
            figures.get(group.WHITE_BRITISH),
        ),
        ReferenceRow(
            group.BLACK_OR_MIXED,
            str(group.BLACK_OR_MIXED.label),
            ethnicity.cells[1],
            figures.get(group.BLACK_OR_MIXED),
        ),
        ReferenceRow(
            group.DISABLED,
            str(group.DISABLED.label),
            disability.cells[0],
            figures.get(group.DISABLED),
        ),
    )


@dataclass(frozen=True)
class WaitingPoint:
    day: dt.date
    cell: Cell


@dataclass(frozen=True)
class WaitingList:
    points: tuple[WaitingPoint, ...]
    joined: Cell
    offered_from_list: Cell
    # Median days waited by those offered a place from the list; None when fewer than
    # SMALLEST_SHOWN people were, as a median of one or two is their own wait.
    median_days: float | None = None


LEFT_FOR_A_PLACE = frozenset({S.OFFERED, S.ENROLLED})


def waiting_list(events: Iterable[WaitingListEvent]) -> WaitingList:
    """The list's length at the end of each day something changed, offers made from it,
    and how long people offered a place from it had waited."""
    length = 0
    by_day: dict[dt.date, int] = {}
    joined_at: dict[int, dt.datetime] = {}
    people: set[int] = set()
    waits: list[float] = []
    offered = 0
    for event in events:
        if event.joined:
            length += 1
            people.add(event.application_id)
            joined_at[event.application_id] = event.at
        else:
            length -= 1
            started = joined_at.pop(event.application_id, None)
            if event.to_state in LEFT_FOR_A_PLACE:
                offered += 1
                if started is not None:
                    waits.append((event.at - started).total_seconds() / 86400)
        by_day[timezone.localtime(event.at).date()] = length
    median = statistics.median(waits) if len(waits) >= SMALLEST_SHOWN else None
    return WaitingList(
        tuple(WaitingPoint(day, suppress_count(value)) for day, value in sorted(by_day.items())),
        suppress_count(len(people)),
        suppress_count(offered),
        median,
    )


@dataclass(frozen=True)
class CohortRow:
    """One cohort's line in a programme's report."""

    cohort: Cohort
    funnel: Funnel
    waiting: WaitingList
    reference: tuple[ReferenceRow, ...]


def facts_by_cohort(facts: Iterable[Facts]) -> dict[int, list[Facts]]:
    grouped: dict[int, list[Facts]] = defaultdict(list)
    for f in facts:
        grouped[f.cohort_id].append(f)
    return grouped


def events_by_cohort(events: Iterable[WaitingListEvent]) -> dict[int, list[WaitingListEvent]]:
    grouped: dict[int, list[WaitingListEvent]] = defaultdict(list)
    for event in events:
        grouped[event.cohort_id].append(event)
    return grouped
