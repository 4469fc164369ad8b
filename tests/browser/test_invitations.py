"""Invitation pages in a real browser: accessible (axe-core) empty, with errors, previewed,
in progress and reported; the progress page updates itself with and without JavaScript.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from applications.models import Application, InvitationImport
from programmes.models import AdmissionMode, Cohort, ProgrammeTeamMember
from tests import factories

from .axe import assert_accessible
from .steps import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cohort() -> Cohort:
    programme = factories.ProgrammeFactory(
        title="Upon: new directors", admission_mode=AdmissionMode.INVITATION
    )
    return factories.CohortFactory(programme=programme, name="Spring", capacity=10)


@pytest.fixture
def manager(cohort: Cohort) -> User:
    user = factories.UserFactory(email="team@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    # Transactional tests start with an empty table: the migration's councils are gone.
    factories.LocalAuthorityFactory(name="Testshire")
    return user


def _sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))
    pass_second_factor(page, user.email)


def test_invite_one_person_page_is_accessible_and_works(
    page, live_server, cohort: Cohort, manager: User
) -> None:
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/manage/cohorts/{cohort.pk}/invite/")
    assert page.locator("h1").inner_text() == "Invite someone"
    assert_accessible(page)

    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert "Enter the person's full name." in summary.inner_text()
    assert_accessible(page)

    page.get_by_label("Full name").fill("Nia Jones")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Local authority (optional)").select_option(label="Testshire")
    page.get_by_role("button", name="Send invitation").click()
    page.locator(".alert-success").wait_for()
    assert "nia@example.org has been invited" in page.locator(".alert-success").inner_text()
    assert Application.objects.get(applicant__email="nia@example.org").state == "offered"


def test_upload_preview_confirm_and_report_are_accessible(
    page, live_server, cohort: Cohort, manager: User
) -> None:
    already = factories.UserFactory(email="cara@example.org")
    factories.ApplicationFactory(cohort=cohort, applicant=already)
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/manage/cohorts/{cohort.pk}/invite/import/")
    assert_accessible(page)

    body = (
        "name,email,local_authority,appointment_date\n"
        "Ann Able,ann@example.org,Testshire Council,2024-04-01\n"
        "Ann Able,ann@example.org,Testshire,2024-04-01\n"
        "Cara Cole,cara@example.org,,\n"
        "Bo Bell,bo@example.org,Narnia,2024-04-01\n"
        '=HYPERLINK("http://x"),dee@example.org,,\n'
        "Eve Eke,eve@example.org,,\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": body.encode()}]
    )
    page.get_by_role("button", name="Upload and check the file").click()

    expect(page.locator("h1")).to_have_text("Check the file before anyone is invited")
    expect(page.get_by_test_id("preview-counts")).to_have_text(
        "2 people will be invited, 2 rows skipped, 2 rows refused."
    )
    expect(page.locator("#to-invite tbody tr")).to_have_count(2)
    expect(page.locator("#skipped tbody tr")).to_have_count(2)
    expect(page.locator("#refused tbody tr")).to_have_count(2)
    assert not User.objects.filter(email="ann@example.org").exists()
    assert_accessible(page)

    # Tasks run eagerly here, so the job is done by the time the page comes back.
    page.get_by_role("button", name="Confirm and invite 2 people").click()
    expect(page.locator("h1")).to_have_text("Invitations sent")
    expect(page.get_by_role("status")).to_contain_text("Finished: 2 people invited")
    expect(page.locator("#invited tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_text("4 rows left out when the file was checked").click()
    expect(page.locator("#refused")).to_be_visible()
    assert_accessible(page)
    assert set(Application.objects.values_list("applicant__email", flat=True)) == {
        "ann@example.org",
        "cara@example.org",
        "eve@example.org",
    }


def _running(cohort: Cohort, manager: User, *, total: int, processed: int) -> InvitationImport:
    rows = [
        {
            "line": n + 2, "full_name": f"Person {n}", "email": f"p{n}@example.org",
            "local_authority": "", "local_authority_id": None, "appointed_on": "",
            "verdict": "invite", "why": "",
        }
        for n in range(total)
    ]  # fmt: skip
    report = [{**row, "outcome": "invited"} for row in rows[:processed]]
    return InvitationImport.objects.create(
        cohort=cohort, created_by=manager, confirmed_by=manager, confirmed_at=timezone.now(),
        status="running", rows=rows, total=total, processed=processed, report=report,
    )  # fmt: skip


def _finish(job: InvitationImport) -> None:
    report = [{**row, "outcome": "invited"} for row in job.rows]
    InvitationImport.objects.filter(pk=job.pk).update(
        status="done", processed=job.total, report=report, finished_at=timezone.now()
    )


def test_progress_page_is_accessible_and_updates_in_place(
    page, live_server, cohort: Cohort, manager: User
) -> None:
    job = _running(cohort, manager, total=120, processed=40)
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/manage/imports/{job.pk}/")

    status = page.get_by_role("status")
    expect(status).to_contain_text("Inviting: 40 of 120 people")
    expect(status.locator("progress")).to_have_attribute("value", "40")
    expect(status).to_have_attribute("aria-live", "polite")
    assert_accessible(page)

    _finish(job)
    # The script fetches the page again and swaps the status in, without a reload.
    expect(status).to_contain_text("Finished: 120 people invited", timeout=15_000)
    expect(page.locator("h1")).to_have_text("Invitations sent")
    assert_accessible(page)


def test_without_javascript_the_progress_page_refreshes_itself(
    browser, live_server, cohort: Cohort, manager: User
) -> None:
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        job = _running(cohort, manager, total=3, processed=1)
        _sign_in(page, live_server, manager)
        page.goto(f"{live_server.url}/manage/imports/{job.pk}/")
        expect(page.locator("#import-status")).to_contain_text("Inviting: 1 of 3 people")

        _finish(job)
        expect(page.locator("h1")).to_have_text("Invitations sent")
        expect(page.locator("#import-status")).to_contain_text("Finished: 3 people invited")
    finally:
        context.close()
