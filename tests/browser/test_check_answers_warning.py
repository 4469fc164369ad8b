"""The check-answers page warns, before submitting, which rules will be "not met", and the
warning passes axe in a real browser, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import Sector, Seniority
from applications.models import RuleKind
from applications.sections import SECTION_KEYS
from tests import factories

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]
)
def test_not_met_warning_is_prominent_and_accessible(browser, live_server, viewport) -> None:
    cohort = factories.CohortFactory(programme__title="Aspiring directors programme")
    factories.EligibilityRuleFactory(
        programme=cohort.programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 10},
        message="At least ten years of senior strategic leadership",
    )
    applicant = factories.UserFactory(email="amara@example.org", full_name="Amara Okafor")
    factories.ProfileFactory(user=applicant)
    factories.CareerEntryFactory(
        user=applicant,
        started_on=dt.date(2022, 1, 1),
        sector=Sector.CHILDRENS_SOCIAL_CARE,
        seniority=Seniority.SENIOR_STRATEGIC,
    )
    application = factories.ApplicationFactory(
        cohort=cohort,
        applicant=applicant,
        state="draft",
        sections_done=list(SECTION_KEYS),
        supporting_statement="I lead early help.",
        endorser_name="Sam Patel",
        endorser_role="Director",
        endorser_email="sam.patel@example.org",
    )
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("Email address").fill(applicant.email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server.url}/account/applications/{application.pk}/check/")
        warning = page.locator("[data-not-met]")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("not met")
        expect(warning).to_contain_text("ten years")
        assert_accessible(page)
    finally:
        context.close()
