"""A whole report (a cohort's, or a programme's over time): its tables and charts.

Four queries for a cohort and five for a programme, whatever the numbers of cohorts
and applications: the selectors read every row once and reports.figures does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Programme

from . import figures, selectors, tables
from .charts import Chart, bar_chart
from .dimensions import BACKGROUND_DIMENSIONS, EQUALITY_DIMENSIONS
from .figures import Breakdown, CohortRow, Funnel, ReferenceRow, WaitingList
from .suppression import MIN_POPULATION, SMALLEST_SHOWN
from .tables import Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    table: Table
    chart: Chart | None = None
    note: str = ""
    breakdown: Breakdown | None = None


@dataclass(frozen=True)
class CohortReport:
    funnel: Funnel
    waiting: WaitingList
    waiting_summary: tuple[tuple[str, str], ...]
    reference: tuple[ReferenceRow, ...]
    sections: tuple[Section, ...]
    equality: tuple[Section, ...]
    background: tuple[Section, ...]
    min_population: int = MIN_POPULATION
    smallest_shown: int = SMALLEST_SHOWN

    def table(self, key: str) -> Table | None:
        for section in (*self.sections, *self.equality, *self.background):
            if section.table.key == key:
                return section.table
        return None


@dataclass(frozen=True)
class ProgrammeReport:
    rows: tuple[CohortRow, ...]
    sections: tuple[Section, ...] = field(default=())
    min_population: int = MIN_POPULATION
    smallest_shown: int = SMALLEST_SHOWN

    def table(self, key: str) -> Table | None:
        return next((s.table for s in self.sections if s.table.key == key), None)


def _funnel_chart(funnel: Funnel, *, key: str, title: str) -> Chart:
    steps = [step for step in funnel.steps if not step.is_screening or step.stage.key == "eligible"]
    return bar_chart(
        key=key,
        title=title,
        categories=[str(step.stage.label) for step in steps],
        series=[(str(_("People")), [step.cell for step in steps])],
    )


def _breakdown_section(breakdown: Breakdown, *, stage_for_chart: str, chart_title: str) -> Section:
    title = str(breakdown.dimension.title)
    column = breakdown.column(stage_for_chart)
    chart = None
    if not breakdown.withheld:
        chart = bar_chart(
            key=f"chart-{breakdown.dimension.key}",
            title=chart_title % {"what": title.lower()},
            categories=[label for label, _cell in column],
            series=[(str(_("Share")), [cell for _label, cell in column])],
            as_percent=True,
        )
    return Section(
        breakdown.dimension.key,
        title,
        tables.breakdown_table(breakdown, caption=title),
        chart,
        breakdown=breakdown,
    )


def cohort_report(*, cohort: Cohort) -> CohortReport:
    facts = selectors.application_facts(cohorts=[cohort])
    events = selectors.waiting_list_events(cohorts=[cohort])
    reference_figures = selectors.latest_reference_figures()

    funnel = figures.funnel(facts)
    waiting = figures.waiting_list(events)
    reference = figures.reference_comparison(facts, cohort_funnel=funnel, figures=reference_figures)
    funnel_title = str(_("From application to completion"))
    waiting_title = str(_("Waiting list length over time"))
    reference_title = str(_("Participants beside directors of children's services nationally"))
    sections = (
        Section(
            "funnel",
            funnel_title,
            tables.funnel_table(funnel, caption=funnel_title),
            _funnel_chart(funnel, key="chart-funnel", title=funnel_title),
        ),
        Section(
            "waiting",
            waiting_title,
            tables.waiting_table(waiting, caption=waiting_title),
            bar_chart(
                key="chart-waiting",
                title=waiting_title,
                categories=[row[0] for row in tables.waiting_table(waiting, caption="").rows],
                series=[(str(_("People waiting")), [point.cell for point in waiting.points])],
            )
            if waiting.points
            else None,
        ),
        Section(
            "reference",
            reference_title,
            tables.reference_table(reference, caption=reference_title),
            bar_chart(
                key="chart-reference",
                title=reference_title,
                categories=[row.label for row in reference],
                series=[
                    (str(_("This cohort")), [row.cell for row in reference]),
                    (
                        str(_("Directors nationally")),
                        [_reference_cell(row) for row in reference],
                    ),
                ],
                as_percent=True,
            ),
        ),
    )
    equality = tuple(
        _breakdown_section(
            figures.breakdown(facts, dimension, cohort_funnel=funnel),
            stage_for_chart="applied",
            chart_title=str(_("Applicants by %(what)s")),
        )
        for dimension in EQUALITY_DIMENSIONS
    )
    background = tuple(
        _breakdown_section(
            figures.breakdown(
                facts,
                dimension,
                cohort_funnel=funnel,
                stages=(figures.APPLIED, figures.OFFERED, figures.ENROLLED),
            ),
            stage_for_chart="enrolled",
            chart_title=str(_("Participants by %(what)s")),
        )
        for dimension in BACKGROUND_DIMENSIONS
    )
    return CohortReport(
        funnel,
        waiting,
        tables.waiting_summary(waiting),
        reference,
        sections,
        equality,
        background,
    )


def _reference_cell(row: ReferenceRow) -> figures.Cell:
    from .suppression import Cell, Hidden

    if row.figure is None:
        return Cell(None, None, Hidden.SECONDARY)
    return Cell(None, float(row.figure.percent), Hidden.SHOWN)


def programme_report(*, programme: Programme) -> ProgrammeReport:
    cohorts = selectors.programme_cohorts(programme=programme)
    facts = figures.facts_by_cohort(selectors.application_facts(cohorts=cohorts))
    events = figures.events_by_cohort(selectors.waiting_list_events(cohorts=cohorts))
    reference_figures = selectors.latest_reference_figures()
    rows = []
    for cohort in cohorts:
        cohort_facts = facts.get(cohort.pk, [])
        funnel = figures.funnel(cohort_facts)
        rows.append(
            CohortRow(
                cohort,
                funnel,
                figures.waiting_list(events.get(cohort.pk, [])),
                figures.reference_comparison(
                    cohort_facts, cohort_funnel=funnel, figures=reference_figures
                ),
            )
        )
    funnel_title = str(_("Each cohort from application to completion"))
    reference_title = str(_("Each cohort's participants beside directors nationally"))
    stages = ("applied", "offered", "enrolled", "completed")
    sections = (
        Section(
            "funnel",
            funnel_title,
            tables.programme_funnel_table(rows, caption=funnel_title),
            bar_chart(
                key="chart-funnel",
                title=funnel_title,
                categories=[row.cohort.name for row in rows],
                series=[
                    (str(row_stage.label), [row.funnel.cell(row_stage.key) for row in rows])
                    for row_stage in (
                        figures.APPLIED,
                        figures.OFFERED,
                        figures.ENROLLED,
                        figures.COMPLETED,
                    )
                    if row_stage.key in stages
                ],
            )
            if rows
            else None,
        ),
        Section(
            "reference",
            reference_title,
            tables.programme_reference_table(rows, caption=reference_title),
            bar_chart(
                key="chart-reference",
                title=str(
                    _("White British participants in each cohort, beside directors nationally")
                ),
                categories=[
                    str(_("Directors nationally")),
                    *(row.cohort.name for row in rows),
                ],
                series=[
                    (
                        str(_("White British")),
                        [
                            _reference_cell(rows[0].reference[0]),
                            *(row.reference[0].cell for row in rows),
                        ],
                    )
                ],
                as_percent=True,
            )
            if rows
            else None,
        ),
    )
    return ProgrammeReport(tuple(rows), sections)
