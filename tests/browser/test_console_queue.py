"""Working the screening queue in a real browser: sorting, state tags, bulk changes with
their summary, and notes and assignment on an application. axe runs on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from applications.models import ApplicationState as S
from programmes.models import ProgrammeTeamMember
from tests import factories

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# One person per state a queue can show, so every tag is on the page at once.
PEOPLE = [
    ("Ada Able", S.ELIGIBLE, "eligible"),
    ("Ben Bell", S.NEEDS_REVIEW, "needs_review"),
    ("Cai Cole", S.ELIGIBLE, "eligible"),
    ("Dee Dunn", S.SUBMITTED, ""),
    ("Eve Eddy", S.INELIGIBLE, "ineligible"),
    ("Fay Ford", S.OFFERED, "eligible"),
    ("Gus Gray", S.WAITLISTED, "eligible"),
    ("Hal Hunt", S.ENROLLED, "eligible"),
    ("Ivy Ince", S.REJECTED, "eligible"),
    ("Jo Jones", S.DECLINED, "eligible"),
    ("Kit Kerr", S.EXPIRED, "eligible"),
    ("Lou Lamb", S.WITHDRAWN, "eligible"),
    ("Max Moss", S.COMPLETED, "eligible"),
    ("Nia Nash", S.DID_NOT_COMPLETE, "eligible"),
]


@pytest.fixture
def manager() -> User:
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme",
        programme__admission_mode="selective",
        name="Spring cohort",
        capacity=5,
    )
    user = factories.UserFactory(email="team@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    screener = factories.UserFactory(full_name="Sam Screener")
    factories.ProgrammeTeamMemberFactory(
        user=screener, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    start = timezone.now() - dt.timedelta(days=30)
    for index, (name, state, outcome) in enumerate(PEOPLE):
        factories.ApplicationFactory(
            cohort=cohort,
            applicant=factories.UserFactory(full_name=name),
            state=state,
            eligibility_outcome=outcome,
            submitted_at=start + dt.timedelta(days=index),
            reference=f"LP-{index:06d}",
            snapshot={"full_name": name, "sector": "Education", "job_title": "Head of SEND"},
        )
    return user


def _names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("table.queue tbody th[scope=row]").all_inner_texts()


def test_manager_works_the_queue(page, live_server, manager) -> None:
    base = live_server.url
    sign_in(page, base, manager.email)
    cohort = Application.objects.first().cohort  # type: ignore[union-attr]
    page.goto(f"{base}/manage/cohorts/{cohort.pk}/applications/")
    check_page(page)

    # Every state is a tag with its words; colour is never the only sign.
    tags = page.locator("table.queue .state-tag")
    assert sorted(tags.all_inner_texts()) == sorted(str(S(state).label) for _, state, _ in PEOPLE)

    # Sorting by name, then reversing it, from the column heading.
    assert page.locator("th[aria-sort]").inner_text().startswith("Submitted")
    follow(page, page.get_by_role("link", name="Name", exact=True))
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Name")
    assert _names(page) == sorted(name for name, _, _ in PEOPLE)
    follow(page, page.get_by_role("link", name="Name (select to reverse the order)"))
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Name")
    assert _names(page)[0] == "Nia Nash"

    # Three people to the waiting list; one was offered a place meanwhile (a stale tab).
    for name in ["Ada Able", "Ben Bell", "Cai Cole"]:
        page.get_by_label(f"Choose {name}").check()
    Application.objects.filter(applicant__full_name="Cai Cole").update(state=S.OFFERED)
    follow(page, page.get_by_role("button", name="Move the people chosen to the waiting list"))
    assert "2 people moved to the waiting list" in page.locator(".alert-success").inner_text()
    refused = page.locator(".alert-warning").inner_text()
    assert "1 person was not moved" in refused and "Cai Cole" in refused
    assert "Offered a place" in refused

    # Turning down asks for a reason and a confirmation; without a reason, an error.
    page.get_by_label("Choose Ada Able").check()
    page.get_by_label("Choose Ben Bell").check()
    follow(page, page.get_by_role("button", name="Turn down the people chosen"))
    assert page.get_by_role("heading", level=1).inner_text() == "Turn down 2 applications"
    follow(page, page.get_by_role("button", name="Turn down 2 applications"))
    assert page.locator(".error-summary").is_visible()
    page.get_by_label("Reason for turning them down").fill("The cohort is full of DCSs.")
    follow(page, page.get_by_role("button", name="Turn down 2 applications"))
    assert "2 applications turned down" in page.locator(".alert-success").inner_text()
    assert set(
        Application.objects.filter(applicant__full_name__in=["Ada Able", "Ben Bell"]).values_list(
            "state", flat=True
        )
    ) == {S.REJECTED}

    # An application: note and assignment, with the page checked after each.
    follow(page, page.get_by_role("link", name="Dee Dunn"))
    page.get_by_label("Add a note for the team").fill("Asked the sponsor to confirm.")
    follow(page, page.get_by_role("button", name="Add the note"))
    assert "Asked the sponsor to confirm." in page.locator("ol.notes").inner_text()
    assert "Morgan Manager" in page.locator("ol.notes").inner_text()
    page.get_by_label("Assigned to").select_option(label="Sam Screener, screener")
    follow(page, page.get_by_role("button", name="Save who it is assigned to"))
    assert "Assigned to Sam Screener." in page.locator(".alert-success").inner_text()
    assert (
        "Morgan Manager assigned it to Sam Screener" in page.locator("ul.assignments").inner_text()
    )
    # A note that is too long is refused with a message, and the page still passes axe.
    page.get_by_label("Add a note for the team").fill("x" * 2001)
    follow(page, page.get_by_role("button", name="Add the note"))
    assert page.locator(".error-summary").is_visible()

    # Back on the queue, filtered to what Sam has, the column says so.
    page.goto(f"{base}/manage/cohorts/{cohort.pk}/applications/?sort=name")
    check_page(page)
    row = page.locator("tr", has=page.get_by_role("link", name="Dee Dunn"))
    assert "Sam Screener" in row.inner_text()
