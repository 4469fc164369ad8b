"""A programme manager adds, copies and cancels cohorts in a real browser.

axe runs on the add form showing its errors, the copy form, the cancel
confirmation page and the dashboard of the cancelled cohort.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import ApplicationState as S
from programmes.models import Cohort, ProgrammeTeamMember
from registers.models import CohortSession
from tests import factories

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    starts = timezone.localdate() + dt.timedelta(days=50)
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme",
        name=f"{starts.year} cohort",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=120),
        capacity=3,
    )
    session_start = timezone.make_aware(dt.datetime.combine(starts, dt.time(10, 0)))
    CohortSession.objects.create(
        cohort=cohort,
        title="Module 1",
        starts_at=session_start,
        ends_at=session_start + dt.timedelta(hours=5),
    )
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    for name, state in [("Erin Enrolled", S.ENROLLED), ("Wes Waiting", S.WAITLISTED)]:
        factories.ApplicationFactory(
            cohort=cohort,
            applicant=factories.UserFactory(full_name=name),
            state=state,
            waitlisted_at=timezone.now(),
        )
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    return user


def test_manager_adds_copies_and_cancels_cohorts(page, live_server, manager) -> None:
    base = live_server.url
    sign_in(page, base, manager.email)

    # Adding a cohort, with mistakes first: the errors are summarised and beside each field.
    page.goto(f"{base}/manage/")
    check_page(page)
    follow(page, page.get_by_role("link", name="Add a cohort to Aspiring directors programme"))
    page.get_by_label("Name").fill("Winter intake")
    first = page.get_by_role("group", name="First day")
    first.get_by_label("Day").fill("31")
    first.get_by_label("Month").fill("2")
    first.get_by_label("Year").fill(str(timezone.localdate().year + 1))
    opens = page.get_by_role("group", name="Applications open")
    opens.get_by_label("Day").fill("1")
    opens.get_by_label("Month").fill("1")
    opens.get_by_label("Year").fill(str(timezone.localdate().year + 1))
    opens.get_by_label("Time").fill("25:00")
    page.get_by_label("Number of places").fill("0")
    follow(page, page.get_by_role("button", name="Add cohort"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Enter a real date")
    expect(summary).to_contain_text("24-hour clock")
    expect(summary).to_contain_text("A cohort needs at least one place.")

    # Starting next year's cohort from the existing one: prefilled a year on.
    source = Cohort.objects.get()
    page.goto(f"{base}/manage/")
    follow(page, page.get_by_role("link", name=source.name))
    follow(page, page.get_by_role("link", name="Start next year's cohort from this one"))
    expect(page.get_by_label("Name")).to_have_value(f"{source.starts_on.year + 1} cohort")
    expect(
        page.get_by_label("Copy its session too, moved on as far as the first day moves")
    ).to_be_checked()
    follow(page, page.get_by_role("button", name="Add cohort"))
    expect(page.locator(".alert-success")).to_contain_text("added from")
    copy = Cohort.objects.get(name=f"{source.starts_on.year + 1} cohort")
    assert copy.sessions.count() == 1 and copy.places_taken == 0

    # Cancelling the original: the confirmation says who will be told, and asks why.
    page.goto(f"{base}/manage/cohorts/{source.pk}/")
    follow(page, page.get_by_role("link", name="Cancel this cohort"))
    expect(page.locator("[data-holding]")).to_have_text("1")
    expect(page.locator("[data-waiting]")).to_have_text("1")
    follow(page, page.get_by_role("button", name="Cancel the cohort"))  # no reason yet
    expect(page.locator("[data-error-summary]")).to_contain_text("Give the reason")
    page.get_by_label("Why is the cohort being cancelled?").fill("The venue has closed.")
    follow(page, page.get_by_role("button", name="Cancel the cohort"))
    expect(page.locator("[data-cancelled-banner]")).to_contain_text(
        "because: The venue has closed."
    )
    source.refresh_from_db()
    assert source.is_cancelled and source.places_taken == 0
