"""A cohort's report on known data: the funnel, equality breakdowns, four-fifths, make-up."""

from __future__ import annotations

import pytest

from applications.models import ApplicationState as S
from reports.dimensions import DIMENSIONS
from reports.figures import breakdown, funnel
from reports.report import cohort_report
from reports.selectors import application_facts
from reports.suppression import Hidden
from tests import factories
from tests.reports.factories import (
    COMPLETED_PATH,
    ELIGIBLE_PATH,
    ENROLLED_PATH,
    INELIGIBLE_PATH,
    people,
    person,
)

pytestmark = pytest.mark.django_db


def _counts(report_funnel) -> dict[str, int | None]:
    return {step.stage.key: step.cell.count for step in report_funnel.steps}


def test_the_funnel_counts_every_stage_reached_from_the_history():
    cohort = factories.CohortFactory()
    people(cohort, 10, COMPLETED_PATH)
    people(cohort, 6, ENROLLED_PATH)
    people(cohort, 8, ELIGIBLE_PATH)
    people(cohort, 6, INELIGIBLE_PATH)
    # Offered, then withdrew: still counted as offered.
    people(cohort, 5, (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.WITHDRAWN))
    result = funnel(application_facts(cohorts=[cohort]))
    assert _counts(result) == {
        "applied": 35,
        "eligible": 29,
        "needs_review": 0,
        "ineligible": 6,
        "not_screened": 0,
        "offered": 21,
        "enrolled": 16,
        "completed": 10,
    }
    conversions = {step.stage.key: step.conversion for step in result.steps}
    assert conversions["offered"] == pytest.approx(21 / 35)
    assert conversions["enrolled"] == pytest.approx(16 / 21)
    assert conversions["completed"] == pytest.approx(10 / 16)


def test_a_draft_is_not_an_application_but_an_invitation_is():
    cohort = factories.CohortFactory()
    factories.ApplicationFactory(cohort=cohort, state=S.DRAFT, submitted_at=None)
    person(cohort, (S.OFFERED, S.ENROLLED))
    assert _counts(funnel(application_facts(cohorts=[cohort])))["applied"] is None  # 1: hidden
    people(cohort, 5, (S.OFFERED,))
    counts = _counts(funnel(application_facts(cohorts=[cohort])))
    assert counts["applied"] == 6
    assert counts["not_screened"] == 6


def test_a_small_screening_outcome_hides_the_next_smallest_so_the_total_cannot_give_it_back():
    cohort = factories.CohortFactory()
    people(cohort, 20, ELIGIBLE_PATH)
    people(cohort, 2, INELIGIBLE_PATH)
    people(cohort, 7, (S.SUBMITTED, S.NEEDS_REVIEW))
    result = funnel(application_facts(cohorts=[cohort]))
    assert result.cell("ineligible").hidden == Hidden.SMALL
    assert result.cell("needs_review").hidden == Hidden.SECONDARY
    assert result.cell("eligible").count == 20


def _ethnic(cohort_facts, cohort_funnel):
    return breakdown(cohort_facts, DIMENSIONS["ethnic_group"], cohort_funnel=cohort_funnel)


def test_selection_rates_compare_each_group_with_the_largest_and_flag_below_four_fifths():
    cohort = factories.CohortFactory()
    people(cohort, 20, ENROLLED_PATH, ethnic_group="white_british")
    people(cohort, 10, ELIGIBLE_PATH, ethnic_group="white_irish")
    people(cohort, 5, ENROLLED_PATH, ethnic_group="black_african")
    people(cohort, 10, ELIGIBLE_PATH, ethnic_group="black_caribbean")
    people(cohort, 6, ENROLLED_PATH, ethnic_group="asian_indian")
    facts = application_facts(cohorts=[cohort])
    result = _ethnic(facts, funnel(facts))
    rows = {row.key: row for row in result.rows}
    assert result.reference_group == "white"
    offered = [stage.key for stage in result.stages].index("offered")
    assert rows["white"].rates[offered] == pytest.approx(20 / 30)
    assert rows["black"].rates[offered] == pytest.approx(5 / 15)
    assert rows["black"].ratios[offered] == pytest.approx((5 / 15) / (20 / 30))
    assert rows["black"].flagged
    assert rows["asian"].ratios[offered] == pytest.approx(1 / (20 / 30))
    assert not rows["asian"].flagged
    assert not rows["white"].flagged


def test_no_rate_is_worked_out_for_a_group_whose_count_is_hidden():
    cohort = factories.CohortFactory()
    people(cohort, 20, ENROLLED_PATH, ethnic_group="white_british")
    people(cohort, 1, ENROLLED_PATH, ethnic_group="black_african")
    people(cohort, 3, ENROLLED_PATH, ethnic_group="mixed_other")
    people(cohort, 6, ENROLLED_PATH)
    facts = application_facts(cohorts=[cohort])
    rows = {row.key: row for row in _ethnic(facts, funnel(facts)).rows}
    assert rows["black"].cells[0].text == "fewer than 5"
    assert set(rows["black"].rates) == {None}
    assert set(rows["black"].ratios) == {None}
    # People who did not answer are counted, never compared.
    assert rows["not_answered"].cells[0].count == 6
    assert rows["not_answered"].rates == ()


def test_a_cohort_under_ten_people_has_its_breakdowns_withheld():
    cohort = factories.CohortFactory()
    people(cohort, 9, ENROLLED_PATH, ethnic_group="white_british", disability="no")
    report = cohort_report(cohort=cohort)
    assert all(section.breakdown.withheld for section in report.equality)
    assert report.funnel.cell("applied").count == 9


def test_a_stage_the_funnel_hides_is_withheld_in_every_breakdown():
    cohort = factories.CohortFactory()
    people(cohort, 12, ELIGIBLE_PATH, ethnic_group="white_british")
    people(cohort, 3, COMPLETED_PATH, ethnic_group="white_british")
    facts = application_facts(cohorts=[cohort])
    cohort_funnel = funnel(facts)
    assert cohort_funnel.cell("completed").is_hidden
    result = _ethnic(facts, cohort_funnel)
    assert {cell.count for _label, cell in result.column("completed")} == {None}


def test_make_up_by_background_reads_the_details_frozen_at_submission():
    cohort = factories.CohortFactory()
    people(cohort, 7, ENROLLED_PATH)
    for _ in range(5):
        person(cohort, ENROLLED_PATH, snapshot={"sector": "Education", "nation": "Wales"})
    report = cohort_report(cohort=cohort)
    sector = next(s for s in report.background if s.key == "sector").breakdown
    column = dict(sector.column("enrolled"))
    assert column["Children's social care"].count == 7
    assert column["Education"].count == 5
    nation = dict(
        next(s for s in report.background if s.key == "nation").breakdown.column("enrolled")
    )
    assert nation["Wales"].count == 5
    assert nation["England"].count == 7


def test_participants_are_shown_beside_the_national_figures_for_directors():
    cohort = factories.CohortFactory()
    people(cohort, 14, ENROLLED_PATH, ethnic_group="white_british", disability="no")
    people(cohort, 6, ENROLLED_PATH, ethnic_group="black_african", disability="no")
    report = cohort_report(cohort=cohort)
    rows = {row.group: row for row in report.reference}
    assert rows["white_british"].cell.percent == pytest.approx(70.0)
    assert str(rows["white_british"].reference_percent) == "81.0"
    assert rows["black_or_mixed"].cell.count == 6
    assert rows["disabled"].cell.count == 0
    assert str(rows["disabled"].reference_percent) == "0.0"
