"""A programme's own team runs it end to end in a real browser, never in the Django admin.

A site administrator creates the programme in the console and names its first
manager. The manager adds the team email, an eligibility rule, a cohort with a
session and a screener, and publishes it. An applicant finds it in the directory,
applies and submits; the screener screens the application, the manager offers a
place, the applicant accepts it, and the manager keeps the session's register and
records that the applicant completed the programme.

Only accounts (and the provider that runs the programme) are made with the ORM;
everything else happens through pages. The one other write stands in for time
passing: the cohort's dates are moved so that it has started. axe runs on the
programme page, the cohort dashboard, the attendance page and every page between.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from programmes.models import Cohort, Programme
from registers.models import CohortSession, Mark, SessionAttendance
from tests import factories
from tests.applications.documents import PDF_BYTES

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Leading across systems"
COHORT = "Autumn cohort"
SESSION = "Module 1: leading systems"
STATEMENT = "I am ready to lead across organisations"
ADMIN = "admin@example.org"
MANAGER = "manager@example.org"
SCREENER = "screener@example.org"
APPLICANT = "amara@example.org"


@pytest.fixture
def people() -> dict[str, User]:
    """The accounts: they exist before the programme does, as in real life."""
    admin = User.objects.create_superuser(
        email=ADMIN, password=factories.PASSWORD, full_name="Ada Administrator"
    )
    admin.email_verified_at = timezone.now()
    admin.save(update_fields=["email_verified_at"])
    applicant = factories.UserFactory(email=APPLICANT, full_name="Amara Okafor")
    factories.ProfileFactory(user=applicant)
    factories.CareerEntryFactory(user=applicant)
    # A programme must be run by a provider, and providers are set up by the site.
    factories.ProviderFactory(name="Leadership Academy", slug="leadership-academy")
    return {
        "admin": admin,
        "manager": factories.UserFactory(email=MANAGER, full_name="Morgan Manager"),
        "screener": factories.UserFactory(email=SCREENER, full_name="Sam Screener"),
        "applicant": applicant,
    }


def _button(page: Any, name: str | re.Pattern[str], exact: bool = True) -> None:
    follow(page, page.get_by_role("button", name=name, exact=exact))


def _link(page: Any, name: str | re.Pattern[str], exact: bool = True) -> None:
    follow(page, page.get_by_role("link", name=name, exact=exact).first)


def _field(page: Any, label: str) -> Any:
    """A text box by its label, which ends in an asterisk when the field is required."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def _sign_out(page: Any) -> None:
    _button(page, "Sign out")


def _fill_date(page: Any, legend: str, day: dt.date, time: str | None = None) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    if time is not None:
        group.get_by_label("Time").fill(time)


def _admin_creates_the_programme(page: Any, base: str) -> int:
    sign_in(page, base, ADMIN)
    check_page(page)
    page.goto(f"{base}/manage/")
    check_page(page)
    _link(page, "Your programmes: details, publishing and teams")
    _link(page, "Create a programme")
    _field(page, "Title").fill(TITLE)
    _field(page, "Summary").fill("Leading change with partners across a place.")
    _field(page, "Description").fill(
        "Six modules on systems leadership, partnerships and leading change."
    )
    page.get_by_label("Senior leaders").check()
    page.get_by_label("Blended").check()
    _field(page, "Duration").fill("Six months")
    page.get_by_label("Funded (free to participants)").check()
    page.get_by_label("Leadership Academy").check()
    page.get_by_label("Apply and be selected").check()
    page.get_by_label("Email address of the first manager").fill(MANAGER)
    _button(page, "Create the programme")
    expect(page.locator(".alert-success")).to_contain_text(f"{TITLE} is created, unpublished")
    programme_page = page.url
    _sign_out(page)
    return int(re.findall(r"/manage/programmes/(\d+)/", programme_page)[0])


def _manager_sets_up_and_publishes(page: Any, base: str, programme_pk: int) -> None:
    sign_in(page, base, MANAGER)
    check_page(page)
    page.goto(f"{base}/manage/programmes/{programme_pk}/")
    check_page(page)
    # Publishing needs a team email, so the page says so until there is one.
    expect(page.get_by_text("Add a team email before you publish")).to_be_visible()

    _link(page, "Edit details")
    page.get_by_label("Team email").fill("systems@example.org")
    _button(page, "Save changes")
    expect(page.locator(".alert-success")).to_contain_text("Your changes are saved.")
    expect(page.locator("[data-team-email]")).to_have_text("systems@example.org")

    # A rule the applicant meets by answering the application's eligibility question.
    _link(page, "Eligibility rules")
    _link(page, "Add a rule")
    page.get_by_label("Self-declared statement").check()
    _button(page, "Continue")
    page.get_by_label("Statement applicants are asked to confirm").fill(STATEMENT)
    page.get_by_label("Summary shown to applicants").fill("Ready to lead across organisations")
    _button(page, "Save rule")
    expect(page.locator(".messages")).to_contain_text("Rule added")

    page.goto(f"{base}/manage/programmes/{programme_pk}/")
    check_page(page)
    _link(page, "Add a cohort")
    today = timezone.localdate()
    _field(page, "Name").fill(COHORT)
    _fill_date(page, "First day", today + dt.timedelta(days=40))
    _fill_date(page, "Last day", today + dt.timedelta(days=160))
    page.get_by_label("Online", exact=True).check()
    _fill_date(page, "Applications open", today, "00:00")
    _fill_date(page, "Applications close", today + dt.timedelta(days=20), "17:00")
    page.get_by_label("Number of places").fill("2")
    _button(page, "Add cohort")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COHORT)  # its dashboard

    _link(page, "Sessions")
    first_day = today + dt.timedelta(days=40)
    _field(page, "Title").fill(SESSION)
    _field(page, "Date").fill(first_day.strftime("%d/%m/%Y"))
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("15:00")
    page.get_by_label("Held online").check()
    _button(page, "Add session")
    expect(page.locator("table.sessions")).to_contain_text(SESSION)

    # Screening is shared: the manager adds a screener to the team.
    page.goto(f"{base}/manage/programmes/{programme_pk}/")
    check_page(page)
    _link(page, "Team")
    page.get_by_label("Email address").fill(SCREENER)
    _button(page, "Add to the team")
    expect(page.locator("table.team")).to_contain_text("Sam Screener")

    page.goto(f"{base}/manage/programmes/{programme_pk}/")
    check_page(page)
    _button(page, "Publish the programme")
    expect(page.locator(".alert-success")).to_contain_text("The programme is published")
    _sign_out(page)


def _applicant_applies(page: Any, base: str, tmp_path: Any) -> None:
    sign_in(page, base, APPLICANT)
    check_page(page)
    page.goto(f"{base}/programmes/")
    check_page(page)
    _link(page, TITLE)
    _link(page, re.compile(f"for {COHORT}"), exact=False)
    _button(page, "Start application")
    task_list = page.url

    def section(name: str) -> None:
        page.goto(task_list)
        check_page(page)
        _link(page, name)

    section("Personal and contact details")
    _button(page, "These details are correct")
    section("Career history")
    _button(page, "My career history is up to date")
    section("Eligibility questions")
    page.get_by_label("Yes").check()
    _button(page, "Save and continue")
    section("Supporting statement")
    page.get_by_label("Supporting statement").fill("I lead early help across the partnership.")
    _button(page, "Save and continue")
    section("Supporting documents")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    _button(page, "Upload")
    _button(page, "I have finished uploading")
    section("Sponsor or line manager")
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Job title").fill("Director of children's services")
    page.get_by_label("Email address").fill("sam.patel@example.org")
    _button(page, "Save and continue")
    expect(page.get_by_text("You have completed 6 of 6 sections.")).to_be_visible()
    _link(page, "Check your answers")
    _button(page, "Submit application")
    expect(page.get_by_text("Application submitted")).to_be_visible()
    _sign_out(page)


def _screener_screens(page: Any, base: str) -> None:
    sign_in(page, base, SCREENER)
    check_page(page)
    page.goto(f"{base}/manage/")
    check_page(page)
    _link(page, COHORT)
    _link(page, "Screen applications")
    _link(page, "Amara Okafor")
    expect(page.get_by_text(f"{STATEMENT}: Yes")).to_be_visible()
    page.get_by_label("Eligible", exact=True).check()
    page.get_by_label("Reason").fill("Senior experience and a sponsor who supports them.")
    _button(page, "Save decision")
    expect(page.locator("table.history")).to_contain_text("Senior experience")
    # Offers are for managers: the screener is not shown the button.
    expect(page.get_by_role("button", name=re.compile("^Offer a place"))).to_have_count(0)
    _sign_out(page)


def _manager_offers_a_place(page: Any, base: str, application_pk: int) -> None:
    sign_in(page, base, MANAGER)
    check_page(page)
    page.goto(f"{base}/manage/applications/{application_pk}/")
    check_page(page)
    _button(page, re.compile("^Offer a place"), exact=False)
    expect(page.locator(".alert-success")).to_contain_text("Place offered")
    _sign_out(page)


def _applicant_accepts(page: Any, base: str) -> None:
    sign_in(page, base, APPLICANT)
    check_page(page)
    page.goto(f"{base}/account/applications/")
    check_page(page)
    _link(page, f"{TITLE}: {COHORT}")
    _button(page, "Accept the place")
    _sign_out(page)


def _time_passes_until_the_cohort_has_started(cohort_pk: int) -> None:
    # The only ORM write after set-up, standing in for forty days passing. The console
    # rightly refuses to move the start of a cohort with people on it into the past,
    # so the cohort, its application window and its session all move back together.
    cohort = Cohort.objects.get(pk=cohort_pk)
    shift = cohort.starts_on - (timezone.localdate() - dt.timedelta(days=1))
    Cohort.objects.filter(pk=cohort_pk).update(
        starts_on=F("starts_on") - shift,
        ends_on=F("ends_on") - shift,
        applications_open_at=F("applications_open_at") - shift,
        applications_close_at=F("applications_close_at") - shift,
    )
    CohortSession.objects.filter(cohort_id=cohort_pk).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )


def _manager_keeps_the_register_and_records_completion(
    page: Any, base: str, cohort_pk: int
) -> None:
    sign_in(page, base, MANAGER)
    check_page(page)
    page.goto(f"{base}/manage/cohorts/{cohort_pk}/")
    check_page(page)
    _link(page, "Sessions")
    _link(page, re.compile(r"^Register \(0 present of 0 marked\)"), exact=False)
    page.get_by_label("Present (Amara Okafor)").check()
    _button(page, "Save the register")
    expect(page.locator(".alert-success")).to_contain_text("Register saved (1 changed)")

    _link(page, "Attendance")
    expect(page.locator("table.attendance")).to_contain_text("1 present, 0 absent")
    _button(page, "Completed (Amara Okafor)")
    expect(page.locator(".alert-success")).to_contain_text("Recorded for Amara Okafor")


def test_a_programme_team_runs_a_programme_without_the_django_admin(
    page: Any, live_server: Any, people: dict[str, User], tmp_path: Any
) -> None:
    base = live_server.url
    programme_pk = _admin_creates_the_programme(page, base)
    _manager_sets_up_and_publishes(page, base, programme_pk)
    cohort = Cohort.objects.get(programme_id=programme_pk)

    _applicant_applies(page, base, tmp_path)
    application = Application.objects.get(applicant=people["applicant"], cohort=cohort)
    _screener_screens(page, base)
    _manager_offers_a_place(page, base, application.pk)
    _applicant_accepts(page, base)
    application.refresh_from_db()
    assert application.state == S.ENROLLED

    _time_passes_until_the_cohort_has_started(cohort.pk)
    _manager_keeps_the_register_and_records_completion(page, base, cohort.pk)

    application.refresh_from_db()
    assert application.state == S.COMPLETED
    trail = list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "from_state", "to_state"
        )
    )
    states = [trail[0][0], *(to for _, to in trail)]
    # The automatic check, then the screener's decision confirming it, are both kept.
    assert states == [
        S.DRAFT,
        S.SUBMITTED,
        S.ELIGIBLE,
        S.ELIGIBLE,
        S.OFFERED,
        S.ENROLLED,
        S.COMPLETED,
    ], trail
    mark = SessionAttendance.objects.get(application=application)
    assert mark.mark == Mark.PRESENT and mark.session.title == SESSION
    programme = Programme.objects.get(pk=programme_pk)
    assert programme.is_published and programme.contact_email == "systems@example.org"
    assert programme.team.filter(user=people["screener"]).exists()
    assert LogEntry.objects.count() == 0  # nothing was done through the Django admin
