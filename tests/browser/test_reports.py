"""Reports in a real browser: a manager opens the programme and cohort reports, the charts
render with their text alternatives, and axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications.models import ApplicationState as S
from tests import factories
from tests.reports.factories import COMPLETED_PATH, ELIGIBLE_PATH, people

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory(title="Upon aspiring directors", slug="upon")
    cohort = factories.CohortFactory(programme=programme, name="Cohort 1")
    people(cohort, 14, COMPLETED_PATH, ethnic_group="white_british", disability="no")
    people(cohort, 3, COMPLETED_PATH, ethnic_group="white_irish", disability="no")
    people(cohort, 2, COMPLETED_PATH, ethnic_group="black_african", disability="no")
    people(cohort, 8, ELIGIBLE_PATH, ethnic_group="asian_indian", sex="female")
    people(cohort, 6, (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED))
    user = factories.UserFactory(email="manager@example.org")
    factories.ProgrammeTeamMemberFactory(user=user, programme=programme)
    return user


def _charts_have_text_alternatives(page) -> None:  # type: ignore[no-untyped-def]
    charts = page.locator("svg[role=img]")
    expect(charts.first).to_be_visible()
    for index in range(charts.count()):
        chart = charts.nth(index)
        labelled_by = chart.get_attribute("aria-labelledby") or ""
        title_id = labelled_by.split()[0]
        assert (page.locator(f"#{title_id}").text_content() or "").strip()


def test_a_manager_reads_the_programme_and_cohort_reports(page, live_server, manager) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/manage/programmes/")
    page.goto(f"{live_server.url}/reports/")
    check_page(page)
    follow(page, page.get_by_role("link", name="Upon aspiring directors"))
    _charts_have_text_alternatives(page)
    expect(
        page.get_by_role("table", name="Each cohort from application to completion")
    ).to_be_visible()

    follow(page, page.locator("[data-cohorts]").get_by_role("link", name="Cohort 1"))
    _charts_have_text_alternatives(page)
    expect(page.locator('svg[data-chart="chart-funnel"]')).to_be_visible()
    expect(page.locator('svg[data-chart="chart-ethnic_group"]')).to_be_visible()
    ethnic = page.locator('table[data-table="breakdown-ethnic_group"]')
    expect(ethnic.get_by_role("row", name="Black").first).to_contain_text("fewer than 5")
