"""Sessions and registers: managers add sessions and keep registers; the rules hold
whoever calls the services; pages cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from programmes.models import ProgrammeTeamMember
from registers.models import CohortSession, Mark, SessionAttendance
from registers.services import RegisterError, register_record, session_create
from tests import factories
from tests.queries import session_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return factories.CohortFactory(
        programme__admission_mode="selective",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60),
    )


@pytest.fixture
def manager(cohort):  # type: ignore[no-untyped-def]
    user = factories.UserFactory(full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    return user


@pytest.fixture
def screener(cohort):  # type: ignore[no-untyped-def]
    user = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    return user


def _session(cohort, hours_ago: float = 1):  # type: ignore[no-untyped-def]
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    return CohortSession.objects.create(
        cohort=cohort, title="Module 1", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )


def test_manager_adds_a_session_through_the_page(client, cohort, manager) -> None:
    client.force_login(manager)
    day = (cohort.starts_on + dt.timedelta(days=14)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("manage:sessions", args=[cohort.pk]),
        {"title": "Module 2", "date": day, "starts": "09:30", "ends": "16:00", "venue": "Leeds"},
    )
    assert response.status_code == 302
    session = CohortSession.objects.get(cohort=cohort)
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "09:30"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "date": "", "starts": "", "ends": ""}, "Enter a title"),
        ({"title": "X", "date": "31/02/2027", "starts": "09:00", "ends": "10:00"}, "real date"),
        ({"title": "X", "date": "tomorrow", "starts": "9am", "ends": "10:00"}, "real date"),
    ],
)
def test_bad_session_input_is_a_400_with_a_message(client, cohort, manager, fields, message):
    client.force_login(manager)
    response = client.post(reverse("manage:sessions", args=[cohort.pk]), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CohortSession.objects.exists()


def test_a_session_outside_the_cohort_or_ending_first_is_refused(cohort) -> None:
    zone = timezone.get_current_timezone()
    late = dt.datetime.combine(cohort.ends_on + dt.timedelta(days=3), dt.time(9), tzinfo=zone)
    with pytest.raises(RegisterError):
        session_create(
            cohort=cohort, title="X", starts_at=late, ends_at=late + dt.timedelta(hours=1),
            online=False, venue="",
        )  # fmt: skip
    start = dt.datetime.combine(cohort.starts_on, dt.time(12), tzinfo=zone)
    with pytest.raises(RegisterError):
        session_create(
            cohort=cohort, title="X", starts_at=start, ends_at=start - dt.timedelta(hours=1),
            online=False, venue="",
        )  # fmt: skip
    assert not CohortSession.objects.exists()


def test_register_is_kept_in_bulk_and_can_be_corrected(client, cohort, manager) -> None:
    people = [factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED) for _ in range(3)]
    session = _session(cohort)
    client.force_login(manager)
    url = reverse("manage:register", args=[session.pk])
    marks = {f"mark-{people[0].pk}": "present", f"mark-{people[1].pk}": "apologies"}
    assert client.post(url, marks).status_code == 302
    assert dict(SessionAttendance.objects.values_list("application_id", "mark")) == {
        people[0].pk: Mark.PRESENT,
        people[1].pk: Mark.APOLOGIES,
    }
    client.post(url, {f"mark-{people[0].pk}": "absent"})
    assert SessionAttendance.objects.get(application=people[0]).mark == Mark.ABSENT
    summary = client.get(reverse("manage:attendance", args=[cohort.pk])).content.decode()
    assert "0 present, 1 absent, 0 with apologies" in summary


def test_the_register_refuses_people_not_on_it_and_changes_nothing(cohort, manager) -> None:
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    waiting = factories.ApplicationFactory(cohort=cohort, state=S.WAITLISTED)
    elsewhere = factories.ApplicationFactory(state=S.ENROLLED)
    session = _session(cohort)
    for marks in (
        {enrolled.pk: "present", waiting.pk: "present"},
        {elsewhere.pk: "present"},
        {enrolled.pk: "asleep"},
    ):
        with pytest.raises(RegisterError):
            register_record(session=session, marks=marks, by=manager)
    assert not SessionAttendance.objects.exists()


def test_a_register_opens_only_when_the_session_starts(client, cohort, manager) -> None:
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    future = _session(cohort, hours_ago=-24)
    with pytest.raises(RegisterError):
        register_record(session=future, marks={enrolled.pk: "present"}, by=manager)
    client.force_login(manager)
    response = client.post(
        reverse("manage:register", args=[future.pk]), {f"mark-{enrolled.pk}": "present"}
    )
    assert response.status_code == 409
    assert not SessionAttendance.objects.exists()


def test_a_screener_sees_the_register_but_cannot_save_it(client, cohort, screener) -> None:
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    session = _session(cohort)
    client.force_login(screener)
    url = reverse("manage:register", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Save the register" not in page.content
    assert client.post(url, {f"mark-{enrolled.pk}": "present"}).status_code == 403
    assert not SessionAttendance.objects.exists()


def test_someone_outside_the_team_gets_404(client, cohort) -> None:
    session = _session(cohort)
    client.force_login(factories.UserFactory())
    assert client.get(reverse("manage:register", args=[session.pk])).status_code == 404
    assert client.get(reverse("manage:sessions", args=[cohort.pk])).status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_register_and_sessions_pages_cost_fixed_queries(
    client, cohort, manager, django_assert_num_queries, n
) -> None:
    people = [factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED) for _ in range(n)]
    sessions = [_session(cohort, hours_ago=h + 1) for h in range(n)]
    for person in people:
        SessionAttendance.objects.create(session=sessions[0], application=person, mark="present")
    client.force_login(manager)
    client.get(reverse("manage:sessions", args=[cohort.pk]))  # warm the session and role
    # Each: the session and user, the session or cohort, the role, and one list query
    # (the register with each person's mark; the sessions with their counts).
    with django_assert_num_queries(session_reads() + 4):
        client.get(reverse("manage:register", args=[sessions[0].pk]))
    with django_assert_num_queries(session_reads() + 4):
        client.get(reverse("manage:sessions", args=[cohort.pk]))


def test_an_enrolled_person_downloads_their_session_dates(client, cohort) -> None:
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    _session(cohort)
    client.force_login(enrolled.applicant)
    response = client.get(reverse("registers:my_sessions_ics", args=[enrolled.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Module 1" in body


def test_session_dates_are_only_for_the_person_with_a_place(client, cohort) -> None:
    waiting = factories.ApplicationFactory(cohort=cohort, state=S.WAITLISTED)
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    client.force_login(waiting.applicant)
    assert client.get(reverse("registers:my_sessions_ics", args=[waiting.pk])).status_code == 404
    assert client.get(reverse("registers:my_sessions_ics", args=[enrolled.pk])).status_code == 404
