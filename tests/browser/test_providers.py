"""The provider area in a real browser: accessible (axe-core), and an export's progress page."""

from __future__ import annotations

import re

import pytest

from providers.models import ExportJob
from tests import factories
from tests.providers.conftest import enrol

from .axe import assert_accessible
from .steps import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))
    pass_second_factor(page, user.email)


@pytest.fixture
def provider_staff():  # type: ignore[no-untyped-def]
    provider = factories.ProviderFactory(name="Institute of Public Care", slug="ipc")
    programme = factories.ProgrammeFactory(providers=[provider], accreditation="ILM Level 7")
    cohort = factories.CohortFactory(programme=programme, name="Spring 2026")
    enrol(cohort, full_name="Amira Khan")
    enrol(cohort, full_name="Owen Price", state="completed")
    user = factories.UserFactory(email="ipc-staff@example.org")
    factories.ProviderMembershipFactory(user=user, provider=provider)
    return user, cohort


def test_provider_pages_pass_axe(page, live_server, provider_staff) -> None:  # type: ignore[no-untyped-def]
    user, _cohort = provider_staff
    _sign_in(page, live_server, user)
    page.goto(live_server.url + "/provider/")
    assert "Spring 2026" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Spring 2026").click()
    assert page.get_by_role("row", name=re.compile("Amira Khan")).is_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/provider/tokens/")
    page.get_by_label("Name").fill("Student records")
    page.get_by_role("button", name="Create a token").click()
    assert page.locator("#new-token").inner_text()
    assert_accessible(page)


def test_export_page_shows_the_download_link_when_done(page, live_server, provider_staff) -> None:  # type: ignore[no-untyped-def]
    user, cohort = provider_staff
    _sign_in(page, live_server, user)
    page.goto(live_server.url + f"/provider/cohorts/{cohort.pk}/")
    page.get_by_label("Build it in the background").check()
    page.get_by_role("button", name="Export this list").click()
    page.wait_for_url(re.compile(r"/provider/exports/\d+/$"))
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE  # eager tasks without Redis
    assert page.get_by_role("link", name=re.compile("Download the export")).is_visible()
    assert page.locator("progress").get_attribute("value") == "100"
    assert_accessible(page)
