"""The programme team adds, changes, copies and cancels cohorts in the console.

Every refused request (a bad form, a stale page, a screener, another programme's
cohort, a cancelled one) is checked to have changed nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from accounts.widgets import DATE_INVALID
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services import places
from console.forms.cohorts import (
    CANCEL_REASON_REQUIRED,
    TIME_INVALID,
    TIME_NEEDS_DATE,
    TIME_REQUIRED,
)
from console.history import history_of_cohort
from programmes.models import (
    COHORT_CANCELLED,
    COHORT_ENDS_BEFORE_IT_STARTS,
    COHORT_NAME_TAKEN,
    COHORT_NEEDS_A_PLACE,
    COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
    COHORT_PLACES_OVER_CAPACITY,
    COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS,
    Cohort,
    ProgrammeTeamMember,
)
from programmes.services.cohorts import (
    CUTOFF_AFTER_START,
    NEW_COHORT_STARTS_IN_THE_PAST,
    STALE,
    START_FIXED_ONCE_STARTED,
    START_INTO_THE_PAST,
    WINDOW_CLOSES_AFTER_START,
    WINDOW_OPENS_AFTER_START,
    a_year_later,
    a_year_later_at,
    next_year_name,
)
from registers.models import CohortSession
from registers.services import COPIED_OUTSIDE
from tests import factories

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _moment(prefix: str, day: dt.date | None, time: str = "09:00") -> dict[str, str]:
    if day is None:
        return {f"{prefix}_{part}": "" for part in ("day", "month", "year", "time")}
    return {**_date(prefix, day), f"{prefix}_time": time}


def form_data(**changes: Any) -> dict[str, str]:
    """A valid form for a cohort starting in about a year, with `changes` on top."""
    starts = dt.date(NEXT_YEAR, 3, 10)
    data = {
        "name": f"Spring {NEXT_YEAR}",
        **_date("starts_on", starts),
        **_date("ends_on", starts + dt.timedelta(days=90)),
        **_moment("applications_open_at", starts - dt.timedelta(days=60)),
        **_moment("applications_close_at", starts - dt.timedelta(days=14), "17:00"),
        "delivery_mode": "blended",
        "venue": "Leeds Civic Hall",
        "capacity": "12",
        "offer_deadline_days": "10",
        **_moment("offer_cutoff_at", None),
    }
    data.update({key: str(value) for key, value in changes.items()})
    return data


def _snapshot() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        sorted(
            Cohort.objects.values_list(
                "pk", "name", "capacity", "places_taken", "starts_on", "venue", "cancelled_at"
            )
        ),
        sorted(Application.objects.values_list("pk", "cohort_id", "state")),
        ApplicationEvent.objects.count(),
        CohortSession.objects.count(),
        Email.objects.count(),
        LogEntry.objects.count(),
    )


def _errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    errors = response.context["form"].errors
    return {name: [str(e) for e in messages] for name, messages in errors.items()}


@pytest.fixture
def create_url(cohort) -> str:  # type: ignore[no-untyped-def]
    return reverse("manage:cohort_create", args=[cohort.programme_id])


# --- Who may use the pages -------------------------------------------------------


PAGES = ["cohort_create", "cohort_edit", "cohort_copy", "cohort_cancel"]


def _url(page: str, cohort: Cohort) -> str:
    pk = cohort.programme_id if page == "cohort_create" else cohort.pk
    return reverse(f"manage:{page}", args=[pk])


@pytest.mark.parametrize("page", PAGES)
def test_managers_get_the_page_screeners_the_403_page_and_outsiders_a_404(
    page, cohort, manager_client, screener_client, other_manager
) -> None:
    url = _url(page, cohort)
    assert manager_client.get(url).status_code == 200
    refused = screener_client.get(url)
    assert refused.status_code == 403
    assert "Only the programme team can add, change, copy or cancel cohorts." in (
        refused.content.decode()
    )
    outsider = Client()
    outsider.force_login(other_manager)
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


@pytest.mark.parametrize("page", PAGES)
def test_a_screener_or_outsider_posting_a_valid_form_changes_nothing(
    page, cohort, screener_client, other_manager
) -> None:
    data = {**form_data(), "reason": "Not needed", "updated_at": cohort.updated_at.isoformat()}
    outsider = Client()
    outsider.force_login(other_manager)
    before = _snapshot()
    assert screener_client.post(_url(page, cohort), data).status_code == 403
    assert outsider.post(_url(page, cohort), data).status_code == 404
    assert _snapshot() == before


def test_a_site_administrator_may_add_a_cohort_to_any_programme(cohort) -> None:
    from accounts.models import User

    admin = User.objects.create_superuser("root@example.org", factories.PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("manage:cohort_create", args=[cohort.programme_id]), form_data())
    assert response.status_code == 302
    assert cohort.programme.cohorts.filter(name=f"Spring {NEXT_YEAR}").exists()


# --- Adding a cohort -------------------------------------------------------------


def test_adding_a_cohort_saves_every_field_in_uk_time_and_records_who(
    cohort, manager, manager_client, create_url
) -> None:
    response = manager_client.post(create_url, form_data())

    assert response.status_code == 302
    added = Cohort.objects.get(name=f"Spring {NEXT_YEAR}")
    assert response["Location"] == reverse("manage:cohort", args=[added.pk])
    assert added.programme_id == cohort.programme_id
    assert (added.starts_on, added.ends_on) == (
        dt.date(NEXT_YEAR, 3, 10),
        dt.date(NEXT_YEAR, 3, 10) + dt.timedelta(days=90),
    )
    opens = timezone.localtime(added.applications_open_at)
    assert (opens.date(), opens.hour, opens.minute) == (
        dt.date(NEXT_YEAR, 3, 10) - dt.timedelta(days=60),
        9,
        0,
    )
    assert timezone.localtime(added.applications_close_at).hour == 17
    assert added.offer_cutoff_at is None
    assert (added.capacity, added.places_taken, added.offer_deadline_days) == (12, 0, 10)
    assert (added.delivery_mode, added.venue) == ("blended", "Leeds Civic Hall")
    assert history_of_cohort(cohort=added)[0].by == "Morgan Manager"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            _date("ends_on", dt.date(NEXT_YEAR, 3, 1)),
            "ends_on",
            COHORT_ENDS_BEFORE_IT_STARTS,
        ),
        (
            _moment("applications_close_at", dt.date(NEXT_YEAR, 1, 1)),
            "applications_close_at",
            COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS,
        ),
        (
            _moment("applications_close_at", dt.date(NEXT_YEAR, 3, 10), "09:00"),
            "applications_close_at",
            WINDOW_CLOSES_AFTER_START,
        ),
        (
            {
                **_moment("applications_open_at", dt.date(NEXT_YEAR, 3, 11)),
                **_moment("applications_close_at", None),
            },
            "applications_open_at",
            WINDOW_OPENS_AFTER_START,
        ),
        (
            _moment("offer_cutoff_at", dt.date(NEXT_YEAR, 3, 12)),
            "offer_cutoff_at",
            CUTOFF_AFTER_START,
        ),
        ({"capacity": "0"}, "capacity", COHORT_NEEDS_A_PLACE),
        ({"offer_deadline_days": "0"}, "offer_deadline_days", COHORT_OFFER_DEADLINE_OUT_OF_RANGE),
        ({"offer_deadline_days": "91"}, "offer_deadline_days", COHORT_OFFER_DEADLINE_OUT_OF_RANGE),
        ({"name": "spring cohort"}, "name", COHORT_NAME_TAKEN),  # the fixture's, in any case
        (
            {
                **_date("starts_on", TODAY),
                **_date("ends_on", TODAY + dt.timedelta(days=9)),
                **_moment("applications_open_at", None),
                **_moment("applications_close_at", None),
            },
            "starts_on",
            NEW_COHORT_STARTS_IN_THE_PAST,
        ),
        ({"starts_on_day": "31", "starts_on_month": "2"}, "starts_on", DATE_INVALID),
        ({"starts_on_year": "99999"}, "starts_on", DATE_INVALID),
        ({"applications_open_at_time": "25:00"}, "applications_open_at", TIME_INVALID),
        ({"applications_open_at_time": "nine"}, "applications_open_at", TIME_INVALID),
        ({"applications_open_at_time": ""}, "applications_open_at", TIME_REQUIRED),
        (
            {**_moment("offer_cutoff_at", None), "offer_cutoff_at_time": "12:00"},
            "offer_cutoff_at",
            TIME_NEEDS_DATE,
        ),
    ],
    ids=[
        "ends before it starts",
        "closes before it opens",
        "closes after it starts",
        "opens after it starts",
        "cut-off after the start",
        "no places",
        "0 days to accept",
        "91 days to accept",
        "name taken",
        "starts today",
        "no such date",
        "five-digit year",
        "no such time",
        "time in words",
        "date without a time",
        "time without a date",
    ],
)
def test_a_problem_is_shown_beside_its_field_as_a_400_and_nothing_is_saved(
    cohort, manager_client, create_url, changes, field, message
) -> None:
    before = _snapshot()
    response = manager_client.post(create_url, form_data(**changes))

    assert response.status_code == 400
    assert str(message) in _errors(response)[field]
    page = response.content.decode()
    assert 'class="alert alert-danger error-summary"' in page
    assert page.count("<h1") == 1
    assert _snapshot() == before


def test_hand_made_nonsense_is_a_400_never_a_500(manager_client, create_url) -> None:
    before = _snapshot()
    nonsense = {key: "\x00" + "9" * 40 for key in form_data()}
    response = manager_client.post(create_url, nonsense)
    assert response.status_code == 400
    assert manager_client.post(create_url, {}).status_code == 400
    assert _snapshot() == before


def test_the_create_page_offers_day_month_year_boxes_and_a_time(manager_client, create_url) -> None:
    page = manager_client.get(create_url).content.decode()
    for name in ("starts_on_day", "starts_on_month", "starts_on_year", "applications_open_at_time"):
        assert f'name="{name}"' in page
    assert '<label class="form-label mb-1" for="id_applications_open_at_time">Time</label>' in page


# --- Changing a cohort -----------------------------------------------------------


def _edit_data(cohort: Cohort, **changes: Any) -> dict[str, str]:
    cohort.refresh_from_db()
    data = form_data(
        name=cohort.name,
        **_date("starts_on", cohort.starts_on),
        **_date("ends_on", cohort.ends_on),
        **_moment("applications_open_at", None),
        **_moment("applications_close_at", None),
        capacity=cohort.capacity,
        venue=cohort.venue,
        delivery_mode=cohort.delivery_mode,
        offer_deadline_days=cohort.offer_deadline_days,
    )
    data["updated_at"] = cohort.updated_at.isoformat()
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_the_edit_page_shows_the_cohort_as_it_is(cohort, manager_client) -> None:
    opens = timezone.make_aware(dt.datetime(NEXT_YEAR, 1, 5, 9, 30))
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_open_at=opens,
        applications_close_at=opens + dt.timedelta(days=20),
        starts_on=dt.date(NEXT_YEAR, 3, 1),
        ends_on=dt.date(NEXT_YEAR, 6, 1),
    )
    page = manager_client.get(reverse("manage:cohort_edit", args=[cohort.pk])).content.decode()
    assert 'name="applications_open_at_time" value="09:30"' in page
    assert f'name="starts_on_year" value="{NEXT_YEAR}"' in page
    assert 'value="Spring cohort"' in page


def test_more_places_go_through_the_places_service_to_the_people_waiting(
    cohort, manager, manager_client
) -> None:
    for _ in range(3):
        make_application(cohort, S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)
    waiting = make_application(cohort, S.WAITLISTED, waitlisted_at=timezone.now())

    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, capacity=4, venue="Manchester Town Hall"),
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken, cohort.venue) == (4, 4, "Manchester Town Hall")
    waiting.refresh_from_db()
    assert waiting.state == S.OFFERED  # handed on, as the dashboard's capacity form does
    changed = {c.field for entry in history_of_cohort(cohort=cohort)[:2] for c in entry.changes}
    assert {"venue", "places"} <= changed
    assert all(entry.by == "Morgan Manager" for entry in history_of_cohort(cohort=cohort)[:2])


def test_fewer_places_than_are_taken_is_refused_beside_the_field(cohort, manager_client) -> None:
    for _ in range(2):
        make_application(cohort, S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=2)
    before = _snapshot()

    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, capacity=1, venue="Elsewhere"),
    )

    assert response.status_code == 400
    assert str(COHORT_PLACES_OVER_CAPACITY) in _errors(response)["capacity"]
    assert _snapshot() == before


def test_a_stale_page_is_refused_with_409_and_nothing_is_saved(cohort, manager_client) -> None:
    url = reverse("manage:cohort_edit", args=[cohort.pk])
    opened = _edit_data(cohort, venue="From the first tab")
    manager_client.post(url, _edit_data(cohort, venue="From the second tab"))
    before = _snapshot()

    response = manager_client.post(url, opened)

    assert response.status_code == 409
    assert str(STALE) in response.content.decode()
    assert _snapshot() == before
    assert Cohort.objects.get(pk=cohort.pk).venue == "From the second tab"


def test_a_change_of_places_from_the_dashboard_makes_an_open_edit_page_stale(
    cohort, manager_client
) -> None:
    opened = _edit_data(cohort, venue="Somewhere new")
    manager_client.post(reverse("manage:capacity", args=[cohort.pk]), {"capacity": "7"})
    before = _snapshot()

    response = manager_client.post(reverse("manage:cohort_edit", args=[cohort.pk]), opened)

    assert response.status_code == 409
    assert _snapshot() == before
    assert Cohort.objects.get(pk=cohort.pk).capacity == 7


def test_a_forged_or_missing_timestamp_is_a_400(cohort, manager_client) -> None:
    url = reverse("manage:cohort_edit", args=[cohort.pk])
    before = _snapshot()
    for value in ("", "yesterday", "2026-01-01T00:00:00"):
        assert manager_client.post(url, _edit_data(cohort, updated_at=value)).status_code == 400
    assert _snapshot() == before


def test_the_start_cannot_move_into_the_past_while_people_hold_places(
    cohort, manager_client
) -> None:
    make_application(cohort, S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    before = _snapshot()

    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, **_date("starts_on", TODAY)),
    )

    assert response.status_code == 400
    assert str(START_INTO_THE_PAST) in _errors(response)["starts_on"]
    assert _snapshot() == before


def test_the_start_cannot_move_into_the_past_while_people_wait(cohort, manager_client) -> None:
    make_application(cohort, S.WAITLISTED, waitlisted_at=timezone.now())
    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, **_date("starts_on", TODAY - dt.timedelta(days=1))),
    )
    assert response.status_code == 400
    assert str(START_INTO_THE_PAST) in _errors(response)["starts_on"]


def test_with_nobody_on_it_an_unstarted_cohort_may_start_today(cohort, manager_client) -> None:
    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, **_date("starts_on", TODAY)),
    )
    assert response.status_code == 302
    assert Cohort.objects.get(pk=cohort.pk).starts_on == TODAY


def test_a_running_cohort_with_people_keeps_its_start_date(cohort, manager_client) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=TODAY - dt.timedelta(days=5), places_taken=1
    )
    make_application(cohort, S.ENROLLED)
    before = _snapshot()

    response = manager_client.post(
        reverse("manage:cohort_edit", args=[cohort.pk]),
        _edit_data(cohort, **_date("starts_on", TODAY + dt.timedelta(days=5))),
    )

    assert response.status_code == 400
    assert str(START_FIXED_ONCE_STARTED) in _errors(response)["starts_on"]
    assert _snapshot() == before


def test_a_cancelled_cohort_cannot_be_changed(cohort, manager, manager_client) -> None:
    places.cohort_cancel(cohort=cohort, reason="The venue closed.", by=manager)
    url = reverse("manage:cohort_edit", args=[cohort.pk])
    opened = _edit_data(cohort, venue="Somewhere new")
    before = _snapshot()

    shown = manager_client.get(url)
    response = manager_client.post(url, opened)

    assert shown.status_code == 302
    assert str(COHORT_CANCELLED) in messages_of(shown)
    assert response.status_code == 409
    assert str(COHORT_CANCELLED) in response.content.decode()
    assert _snapshot() == before


def test_another_programmes_manager_cannot_change_it(cohort, other_manager) -> None:
    client = Client()
    client.force_login(other_manager)
    before = _snapshot()
    response = client.post(reverse("manage:cohort_edit", args=[cohort.pk]), _edit_data(cohort))
    assert response.status_code == 404
    assert _snapshot() == before


# --- Copying a cohort --------------------------------------------------------------


@pytest.fixture
def last_year(cohort):  # type: ignore[no-untyped-def]
    """A cohort with a year in its name, two sessions and people on it."""
    starts = TODAY + dt.timedelta(days=40)
    Cohort.objects.filter(pk=cohort.pk).update(
        name=f"{starts.year} cohort",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=100),
        applications_open_at=timezone.make_aware(dt.datetime(starts.year - 1, 11, 2, 9, 0)),
        applications_close_at=timezone.make_aware(
            dt.datetime.combine(starts - dt.timedelta(days=10), dt.time(17, 0))
        ),
        offer_deadline_days=21,
        venue="Birmingham",
    )
    cohort.refresh_from_db()
    for offset, title in ((0, "Module 1"), (50, "Module 2")):
        start = timezone.make_aware(
            dt.datetime.combine(starts + dt.timedelta(days=offset), dt.time(10, 0))
        )
        CohortSession.objects.create(
            cohort=cohort, title=title, starts_at=start, ends_at=start + dt.timedelta(hours=6)
        )
    make_application(cohort, S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    cohort.refresh_from_db()
    return cohort


def test_the_copy_form_is_prefilled_a_year_on_with_next_years_name(
    last_year, manager_client
) -> None:
    response = manager_client.get(reverse("manage:cohort_copy", args=[last_year.pk]))
    form = response.context["form"]
    year = last_year.starts_on.year
    assert form["name"].value() == f"{year + 1} cohort"
    assert form["starts_on"].value() == a_year_later(last_year.starts_on)
    assert form["ends_on"].value() == a_year_later(last_year.ends_on)
    opens = timezone.localtime(form["applications_open_at"].value())
    assert (opens.year, opens.month, opens.day, opens.hour) == (year, 11, 2, 9)
    assert form["capacity"].value() == last_year.capacity
    assert form["offer_deadline_days"].value() == 21
    assert form["venue"].value() == "Birmingham"
    page = response.content.decode()
    assert "Copy its 2 sessions too" in page


def test_copying_makes_an_empty_cohort_with_the_sessions_a_year_on(
    last_year, manager_client
) -> None:
    data = {
        **_copy_data(manager_client, last_year),
        "copy_sessions": "on",
    }
    response = manager_client.post(reverse("manage:cohort_copy", args=[last_year.pk]), data)

    assert response.status_code == 302
    copy = Cohort.objects.get(name=f"{last_year.starts_on.year + 1} cohort")
    assert (copy.places_taken, copy.applications.count()) == (0, 0)
    assert copy.starts_on == a_year_later(last_year.starts_on)
    sessions = list(CohortSession.objects.filter(cohort=copy).order_by("starts_at"))
    assert [s.title for s in sessions] == ["Module 1", "Module 2"]
    shift = copy.starts_on - last_year.starts_on
    first = timezone.localtime(sessions[0].starts_at)
    assert (first.date(), first.hour) == (last_year.starts_on + shift, 10)  # 10:00 stays 10:00
    last_year.refresh_from_db()
    assert (last_year.places_taken, last_year.sessions.count()) == (1, 2)  # the source untouched


def _copy_data(client, source) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the copy page offers, as posted by someone who changes nothing."""
    form = client.get(reverse("manage:cohort_copy", args=[source.pk])).context["form"]
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "copy_sessions":
            continue
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            data.update(_moment(name, local.date(), local.strftime("%H:%M")))
        elif isinstance(value, dt.date):
            data.update(_date(name, value))
        elif value is None:
            data.update(_moment(name, None) if name.endswith("_at") else {name: ""})
        else:
            data[name] = str(value)
        del field
    return data


def test_copying_without_the_sessions_leaves_them_out(last_year, manager_client) -> None:
    data = _copy_data(manager_client, last_year)  # the box left unticked
    response = manager_client.post(reverse("manage:cohort_copy", args=[last_year.pk]), data)
    assert response.status_code == 302
    assert not CohortSession.objects.filter(cohort__name=data["name"]).exists()


def test_sessions_that_would_fall_outside_the_new_dates_copy_nothing(
    last_year, manager_client
) -> None:
    data = {
        **_copy_data(manager_client, last_year),
        "copy_sessions": "on",
        **_date("ends_on", a_year_later(last_year.starts_on) + dt.timedelta(days=20)),
    }
    before = _snapshot()

    response = manager_client.post(reverse("manage:cohort_copy", args=[last_year.pk]), data)

    assert response.status_code == 400
    assert str(COPIED_OUTSIDE % {"count": 1}) in _errors(response)["ends_on"]
    assert _snapshot() == before


def test_a_cancelled_cohort_can_still_be_started_again(last_year, manager, manager_client) -> None:
    places.cohort_cancel(cohort=last_year, reason="Too few people.", by=manager)
    data = {**_copy_data(manager_client, last_year), "copy_sessions": "on"}
    response = manager_client.post(reverse("manage:cohort_copy", args=[last_year.pk]), data)
    assert response.status_code == 302
    copy = Cohort.objects.get(name=data["name"])
    assert not copy.is_cancelled and copy.sessions.count() == 2


def test_a_name_without_a_year_becomes_a_copy(cohort, manager_client) -> None:
    form = manager_client.get(reverse("manage:cohort_copy", args=[cohort.pk])).context["form"]
    assert form["name"].value() == "Spring cohort (copy)"
    assert "copy_sessions" not in form.fields  # no sessions to copy


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("2026 cohort", "2027 cohort"),
        ("Autumn 2026/27", "Autumn 2027/28"),
        ("Cohort 2099-00", "Cohort 2100-01"),
        ("Spring cohort", "Spring cohort (copy)"),
        ("Cohort 12", "Cohort 12 (copy)"),
    ],
)
def test_next_years_name(name, suggested) -> None:
    assert next_year_name(name) == suggested


def test_a_year_on_keeps_the_uk_clock_time_and_copes_with_29_february() -> None:
    assert a_year_later(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    winter = timezone.make_aware(dt.datetime(2027, 3, 27, 9, 0))  # GMT
    later = timezone.localtime(a_year_later_at(winter))  # type: ignore[arg-type]
    assert (later.date(), later.hour, later.minute) == (dt.date(2028, 3, 27), 9, 0)  # BST
    assert a_year_later_at(None) is None


# --- Cancelling a cohort --------------------------------------------------------------


def test_the_cancel_page_says_exactly_who_will_be_told(cohort, manager_client) -> None:
    for state in (S.ENROLLED, S.ENROLLED, S.OFFERED, S.WAITLISTED, S.SUBMITTED, S.NEEDS_REVIEW):
        make_application(cohort, state, waitlisted_at=timezone.now())
    make_application(cohort, S.DRAFT)

    response = manager_client.get(reverse("manage:cohort_cancel", args=[cohort.pk]))

    page = response.content.decode()
    assert "Who we will email: 6 people" in page
    assert '<td class="text-end" data-holding>2</td>' in page
    assert '<td class="text-end" data-offered>1</td>' in page
    assert '<td class="text-end" data-waiting>1</td>' in page
    assert '<td class="text-end" data-screening>2</td>' in page
    assert "1 person has started an application but not sent it" in page
    assert "This cannot be undone." in page


def test_cancelling_needs_a_reason(cohort, manager_client) -> None:
    make_application(cohort, S.ENROLLED)
    before = _snapshot()
    response = manager_client.post(
        reverse("manage:cohort_cancel", args=[cohort.pk]), {"reason": "   "}
    )
    assert response.status_code == 400
    assert str(CANCEL_REASON_REQUIRED) in _errors(response)["reason"]
    assert _snapshot() == before


def test_cancelling_tells_everyone_and_the_dashboard_says_when_and_why(
    cohort, manager, manager_client
) -> None:
    people = [make_application(cohort, state) for state in (S.ENROLLED, S.SUBMITTED)]
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    Email.objects.all().delete()

    response = manager_client.post(
        reverse("manage:cohort_cancel", args=[cohort.pk]),
        {"reason": "The provider has closed."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("manage:cohort", args=[cohort.pk])
    assert "We have emailed the 2 people who were on it." in messages_of(response)[0]
    page = response.content.decode()
    assert "data-cancelled-banner" in page and "because: The provider has closed." in page
    assert "Cancelled" in page  # the status
    assert reverse("manage:cohort_edit", args=[cohort.pk]) not in page
    assert reverse("manage:capacity", args=[cohort.pk]) not in page
    assert "data-history" in page and "why it was cancelled" in page.lower()
    assert sorted(e.to[0] for e in Email.objects.all()) == sorted(a.applicant.email for a in people)
    cohort.refresh_from_db()
    assert cohort.places_taken == 0 and cohort.is_cancelled


def test_cancelling_again_is_a_409_and_nobody_is_told_twice(
    cohort, manager, manager_client
) -> None:
    make_application(cohort, S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    places.cohort_cancel(cohort=cohort, reason="First time.", by=manager)
    before = _snapshot()

    shown = manager_client.get(reverse("manage:cohort_cancel", args=[cohort.pk]))
    response = manager_client.post(
        reverse("manage:cohort_cancel", args=[cohort.pk]), {"reason": "Second time."}
    )

    assert (
        "data-cancelled" in shown.content.decode()
        and "<form method" not in (shown.content.decode().split("<h1>", 1)[1])
    )
    assert response.status_code == 409
    assert _snapshot() == before
    assert Cohort.objects.get(pk=cohort.pk).cancellation_reason == "First time."


def test_a_finished_cohort_cannot_be_cancelled(cohort, manager_client) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=TODAY - dt.timedelta(days=40), ends_on=TODAY + dt.timedelta(days=1)
    )
    make_application(cohort, S.COMPLETED)
    before = _snapshot()

    shown = manager_client.get(reverse("manage:cohort_cancel", args=[cohort.pk]))
    response = manager_client.post(
        reverse("manage:cohort_cancel", args=[cohort.pk]), {"reason": "Too late."}
    )

    assert "data-finished" in shown.content.decode()
    assert response.status_code == 409
    assert str(places.COHORT_FINISHED) in response.content.decode()
    assert _snapshot() == before


# --- The dashboard and the list of cohorts ---------------------------------------------


def test_managers_see_links_to_change_copy_and_cancel_and_screeners_do_not(
    cohort, manager_client, screener_client
) -> None:
    url = reverse("manage:cohort", args=[cohort.pk])
    links = [_url(page, cohort) for page in ("cohort_edit", "cohort_copy", "cohort_cancel")]
    managers = manager_client.get(url).content.decode()
    screeners = screener_client.get(url).content.decode()
    assert all(link in managers for link in links)
    assert not any(link in screeners for link in links)


def test_the_dashboard_shows_the_cohorts_history(cohort, manager, manager_client) -> None:
    from auditlog.context import set_actor

    with set_actor(manager):
        cohort.venue = "Cardiff City Hall"
        cohort.save()
    page = manager_client.get(reverse("manage:cohort", args=[cohort.pk])).content.decode()
    assert "History of changes" in page and "Cardiff City Hall" in page


def test_the_list_offers_managers_a_new_cohort_even_for_a_programme_with_none(
    cohort, manager, manager_client, screener_client
) -> None:
    empty = factories.ProgrammeFactory(title="Brand new programme")
    factories.ProgrammeTeamMemberFactory(
        user=manager, programme=empty, role=ProgrammeTeamMember.Role.MANAGER
    )
    page = manager_client.get(reverse("manage:cohorts")).content.decode()
    assert reverse("manage:cohort_create", args=[cohort.programme_id]) in page
    assert reverse("manage:cohort_create", args=[empty.pk]) in page
    assert "Brand new programme" in page
    screeners = screener_client.get(reverse("manage:cohorts")).content.decode()
    assert "cohorts/new/" not in screeners


# --- The services on their own ------------------------------------------------------


def test_cohort_update_checks_the_capacity_but_never_writes_it(cohort, manager) -> None:
    from programmes.services.cohorts import CohortDetails, cohort_update

    details = CohortDetails.of(cohort)
    updated = cohort_update(
        cohort=cohort,
        details=details,
        capacity=9,
        expected_updated_at=cohort.updated_at,
        by=manager,
    )
    assert Cohort.objects.get(pk=cohort.pk).capacity == updated.capacity == 3


def test_an_edit_of_a_cohort_cancelled_since_the_form_was_checked_saves_nothing(
    cohort, manager
) -> None:
    """Cancelled between the form's checks and the save: refused under the lock, and
    neither the details nor the places change."""
    from console.services import cohort_edit
    from programmes.services.cohorts import CohortDetails, CohortLocked

    details = CohortDetails.of(cohort)
    stale = Cohort.objects.get(pk=cohort.pk)
    places.cohort_cancel(cohort=cohort, reason="Gone.", by=manager)
    before = _snapshot()
    with pytest.raises(CohortLocked):
        cohort_edit(
            cohort=stale,
            details=CohortDetails(**{**details.__dict__, "venue": "New"}),
            capacity=5,
            expected_updated_at=stale.updated_at,
            by=manager,
        )
    assert _snapshot() == before
