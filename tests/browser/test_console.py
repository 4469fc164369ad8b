"""The staff console in a real browser: a programme manager screens and offers a place.

axe runs on every page the manager passes through.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from applications.models import Application
from applications.models import ApplicationState as S
from programmes.models import Cohort, ProgrammeTeamMember
from tests import factories

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme", name="Spring cohort", capacity=2
    )
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    factories.ApplicationFactory(
        cohort=cohort,
        applicant=factories.UserFactory(full_name="Priya Patel"),
        state=S.NEEDS_REVIEW,
        eligibility_outcome="needs_review",
        eligibility_results=[
            {
                "outcome": "unknown",
                "reason": "We could not work out your years of senior leadership.",
                "message": "At least three years of senior strategic leadership",
            }
        ],
        snapshot={"full_name": "Priya Patel", "sector": "Education", "job_title": "Head of SEND"},
        supporting_statement="I want to lead change across the partnership.",
    )
    # Someone waiting and someone enrolled, so those pages show their tables and buttons.
    for name, state in [
        ("Wes Waiting", S.WAITLISTED),
        ("Wyn Waiting", S.WAITLISTED),
        ("Erin Enrolled", S.ENROLLED),
    ]:
        factories.ApplicationFactory(
            cohort=cohort, applicant=factories.UserFactory(full_name=name), state=state
        )
    return user


def test_manager_screens_an_application_and_offers_a_place(page, live_server, manager) -> None:
    base = live_server.url
    sign_in(page, base, manager.email)

    page.goto(f"{base}/manage/")
    check_page(page)
    assert page.get_by_role("heading", name="Aspiring directors programme").is_visible()

    follow(page, page.get_by_role("link", name="Spring cohort"))
    assert page.locator("[data-places-left]").inner_text() == "2"

    follow(page, page.get_by_role("link", name="Screen applications"))
    follow(page, page.get_by_role("link", name="Priya Patel"))
    assert page.get_by_text("Head of SEND").is_visible()
    assert page.get_by_text("Not known yet").is_visible()

    page.get_by_label("Eligible", exact=True).check()
    page.get_by_label("Reason").fill("Experience confirmed with the sponsor.")
    follow(page, page.get_by_role("button", name="Save decision"))
    assert "It overrides the automatic check" in page.locator(".alert-success").inner_text()
    history = page.locator("table.history").inner_text()
    assert "Experience confirmed with the sponsor." in history
    assert "overrides the automatic check" in history

    follow(page, page.get_by_role("button", name=re.compile("^Offer a place")))
    assert "Place offered" in page.locator(".alert-success").inner_text()
    assert Application.objects.get(applicant__full_name="Priya Patel").state == S.OFFERED

    follow(page, page.get_by_role("link", name="All applications to Spring cohort"))
    assert "Offered a place" in page.locator("table.queue").inner_text()
    follow(page, page.get_by_role("link", name="Waiting list", exact=True))
    follow(page, page.get_by_role("button", name="Move up Wyn Waiting"))
    first = page.locator("table.waiting-list tbody tr").first.inner_text()
    assert "Wyn Waiting" in first
    # Time passes: the cohort starts, and attendance can be recorded.
    today = timezone.localdate()
    Cohort.objects.filter(name="Spring cohort").update(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=90)
    )
    follow(page, page.get_by_role("link", name="Attendance", exact=True))
    follow(page, page.get_by_role("button", name="Completed (Erin Enrolled)"))
    assert "Recorded for Erin Enrolled" in page.locator(".alert-success").inner_text()
    # A mark made in error is corrected with a reason, by keyboard, without JavaScript help.
    page.get_by_text("Correct this record").click()
    page.get_by_label("Reason for the change").fill("Left before the last module.")
    follow(page, page.get_by_role("button", name="Change to did not complete"))
    assert Application.objects.get(applicant__full_name="Erin Enrolled").state == S.DID_NOT_COMPLETE
