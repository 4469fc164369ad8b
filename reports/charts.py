"""Bar charts drawn by the server as SVG, from suppressed cells only.

The template (templates/reports/_bar_chart.html) draws these shapes with SVG
presentation attributes (x=, width=, fill=), which the Content-Security-Policy allows:
no style, no script, nothing for the browser to run (docs/adr/0009-reports.md).
Each chart carries a text alternative listing every figure, and the page shows the
same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .suppression import Cell

# Colours with at least 3:1 contrast on white, as WCAG asks of parts of a graphic.
PALETTE = ("#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#505a5f")
WIDTH = 760
LABEL_WIDTH = 330
BAR_AREA = 320
BAR_HEIGHT = 18
GAP = 10
TOP = 10
LEGEND_ROW = 22


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    text: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Label:
    text: str
    x: int
    y: int


@dataclass(frozen=True)
class LegendItem:
    name: str
    fill: str
    x: int
    y: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    labels: tuple[Label, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    axis_x: int = LABEL_WIDTH


def bar_chart(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Cell]]],
    as_percent: bool = False,
) -> Chart:
    """Horizontal bars: one group of bars per category, one bar per series.

    A hidden cell draws no bar, only its words ("fewer than 5"), so a chart never shows
    more than the table does.
    """

    def value(cell: Cell) -> float | None:
        return cell.percent if as_percent else (None if cell.count is None else float(cell.count))

    def words(cell: Cell) -> str:
        return cell.percent_text if as_percent and cell.percent is not None else cell.text

    values = [value(cell) for _name, cells in series for cell in cells]
    largest = max([v for v in values if v is not None] or [0.0]) or 1.0
    if as_percent:
        largest = max(largest, 1.0)
    legend_rows = len(series) if len(series) > 1 else 0
    group_height = len(series) * BAR_HEIGHT + GAP
    labels, bars = [], []
    y = TOP + legend_rows * LEGEND_ROW
    for index, category in enumerate(categories):
        labels.append(Label(category, LABEL_WIDTH - 8, y + (len(series) * BAR_HEIGHT) // 2 + 5))
        for number, (_name, cells) in enumerate(series):
            cell = cells[index]
            amount = value(cell)
            width = (
                0 if amount is None else max(1, round(BAR_AREA * amount / largest)) if amount else 0
            )
            top = y + number * BAR_HEIGHT
            bars.append(
                Bar(
                    LABEL_WIDTH,
                    top + 1,
                    width,
                    BAR_HEIGHT - 2,
                    PALETTE[number % len(PALETTE)],
                    words(cell),
                    LABEL_WIDTH + width + 6,
                    top + BAR_HEIGHT - 5,
                )
            )
        y += group_height
    legend = (
        tuple(
            LegendItem(
                name,
                PALETTE[number % len(PALETTE)],
                LABEL_WIDTH,
                TOP + number * LEGEND_ROW,
                LABEL_WIDTH + 20,
                TOP + number * LEGEND_ROW + 12,
            )
            for number, (name, _cells) in enumerate(series)
        )
        if legend_rows
        else ()
    )
    description = "; ".join(
        f"{category}: "
        + ", ".join(
            (f"{name} {words(cells[index])}" if len(series) > 1 else words(cells[index]))
            for name, cells in series
        )
        for index, category in enumerate(categories)
    )
    return Chart(
        key,
        title,
        str(_("%(title)s. %(figures)s.") % {"title": title, "figures": description}),
        WIDTH,
        y + TOP,
        tuple(labels),
        tuple(bars),
        legend,
    )
