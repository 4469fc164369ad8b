"""The whole applicant journey in a real browser, with axe on every page it passes through.

Sign up, confirm the address from the email we send, fill the profile and career
history, complete every section of the application, check answers, submit, and
read the outcome.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from post_office.models import Email

from accounts.models import LocalAuthority, Nation
from applications.models import Application, ApplicationState, RuleKind
from tests import factories
from tests.applications.documents import PDF_BYTES

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

READY_KEY = "ready_within_three_years"


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    LocalAuthority.objects.get_or_create(name="Leeds", defaults={"nation": Nation.ENGLAND})
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme", name="Spring cohort"
    )
    factories.EligibilityRuleFactory(
        programme=cohort.programme,
        kind=RuleKind.MIN_SENIOR_YEARS,
        params={"years": 3},
        message="At least three years of senior strategic leadership",
    )
    factories.EligibilityRuleFactory(
        programme=cohort.programme,
        kind=RuleKind.SELF_DECLARATION,
        params={
            "key": READY_KEY,
            "statement": "I am ready to become a director within three years",
        },
        message="Ready to become a director within three years",
    )
    return cohort


def _verification_link() -> str:
    bodies = [m.body for m in mail.outbox] + [e.message for e in Email.objects.all()]
    for body in reversed(bodies):
        found = re.search(r"https?://\S+/account/verify/[^/\s]+/", body)
        if found:
            return found.group(0)
    raise AssertionError(f"no verification link in {len(bodies)} emails")


def press(page, name: str, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=exact).click()


def _check(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").count() == 1, page.url
    assert_accessible(page)


def test_applicant_signs_up_verifies_applies_and_sees_the_outcome(
    page, live_server, cohort, settings, tmp_path
) -> None:
    settings.SITE_URL = live_server.url
    base = live_server.url

    # Sign up.
    page.goto(f"{base}/account/signup/")
    _check(page)
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("Email address").fill("amara@example.org")
    page.get_by_label("Create a password").fill("a-long-unusual-passphrase-42")
    page.get_by_label("Type the password again").fill("a-long-unusual-passphrase-42")
    press(page, "Create account")
    _check(page)

    # Verify from the link in the email.
    page.goto(_verification_link().replace(settings.SITE_URL, base))
    _check(page)
    press(page, "Confirm my email address")
    _check(page)

    # Profile and career history.
    page.goto(f"{base}/account/profile/")
    _check(page)
    page.get_by_label("Job title").fill("Assistant director, children's social care")
    page.get_by_label("Current role").select_option("assistant_director")
    page.get_by_label("Type of employer").select_option("local_authority")
    page.get_by_label("Local authority").select_option(label="Leeds")
    page.get_by_label("Sector").select_option("childrens_social_care")
    page.get_by_label("Nation you work in").select_option("england")
    press(page, "Save")
    _check(page)

    page.goto(f"{base}/account/career/add/")
    _check(page)
    page.locator("#id_role_title").fill("Assistant director")
    page.get_by_label("Organisation").fill("Leeds City Council")
    page.get_by_label("Sector").select_option("childrens_social_care")
    page.get_by_label("Level").select_option("senior_strategic")
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2019")
    press(page, "Add role")
    _check(page)

    # Start the application from the programme page's call to action.
    page.goto(f"{base}/account/applications/new/{cohort.pk}/")
    _check(page)
    press(page, "Start application")
    _check(page)
    application = Application.objects.get()
    task_list = page.url

    def open_section(name: str) -> None:
        page.goto(task_list)
        with page.expect_navigation():
            page.get_by_role("link", name=name).click()
        _check(page)

    open_section("Personal and contact details")
    press(page, "These details are correct")
    open_section("Career history")
    press(page, "My career history is up to date")

    open_section("Eligibility questions")
    press(page, "Save and continue")  # nothing answered yet
    _check(page)  # the error summary must itself be accessible
    assert page.get_by_text("There is a problem").is_visible()
    page.get_by_label("Yes").check()
    press(page, "Save and continue")

    open_section("Supporting statement")
    page.get_by_label("Supporting statement").fill("I lead early help and want to lead more.")
    press(page, "Save and continue")

    open_section("Supporting documents")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    press(page, "Upload", exact=True)
    _check(page)
    assert page.get_by_role("link", name="cv.pdf").is_visible()
    press(page, "I have finished uploading")

    open_section("Sponsor or line manager")
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Job title").fill("Director of children's services")
    page.get_by_label("Email address").fill("sam.patel@example.org")
    press(page, "Save and continue")
    _check(page)
    assert page.get_by_text("You have completed 6 of 6 sections.").is_visible()

    # Check answers and submit.
    with page.expect_navigation():
        page.get_by_role("link", name="Check your answers").click()
    _check(page)
    press(page, "Submit application")
    _check(page)
    assert page.get_by_text("Application submitted").is_visible()
    assert page.get_by_text("Eligible", exact=True).first.is_visible()

    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    assert any("Application received" in e.subject for e in Email.objects.all())

    page.goto(f"{base}/account/applications/")
    _check(page)
    assert page.get_by_role("link", name="Aspiring directors programme").is_visible()
