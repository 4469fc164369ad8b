"""Invitation pages in a real browser: accessible (axe-core) empty, with errors, and the report."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from applications.models import Application
from programmes.models import AdmissionMode, Cohort, ProgrammeTeamMember
from tests import factories

from .axe import assert_accessible

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


def test_import_page_and_report_are_accessible(
    page, live_server, cohort: Cohort, manager: User
) -> None:
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/manage/cohorts/{cohort.pk}/invite/import/")
    assert_accessible(page)

    body = (
        "name,email,local_authority,appointment_date\n"
        "Ann Able,ann@example.org,Testshire Council,2024-04-01\n"
        "Ann Able,ann@example.org,Testshire,2024-04-01\n"
        "Bo Bell,bo@example.org,Narnia,2024-04-01\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": body.encode()}]
    )
    page.get_by_role("button", name="Upload and send invitations").click()
    page.locator("h1", has_text="What happened to each row").wait_for()
    assert "1 person invited" in page.content()
    assert page.locator("#refused tbody tr").count() == 1
    assert page.locator("#skipped tbody tr").count() == 1
    assert_accessible(page)
