"""Changing the number of places, and recording attendance and completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from applications.services.places import CAPACITY_BELOW_TAKEN
from applications.services.places.errors import NOT_ENROLLED, NOT_STARTED
from console.views.places import BAD_REQUEST
from programmes.models import Cohort

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


def test_raise_capacity_offers_the_new_place_to_the_next_person_waiting(cohort, manager_client):
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)
    waiting = make_application(cohort, S.WAITLISTED)
    response = manager_client.post(reverse("manage:capacity", args=[cohort.pk]), {"capacity": 4})
    assert response.status_code == 302
    cohort.refresh_from_db()
    waiting.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken, waiting.state) == (4, 4, S.OFFERED)


def test_capacity_below_places_taken_is_refused_and_changes_nothing(cohort, manager_client):
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=2)
    response = manager_client.post(reverse("manage:capacity", args=[cohort.pk]), {"capacity": 1})
    assert str(CAPACITY_BELOW_TAKEN % {"capacity": 1, "taken": 2}) in messages_of(response)
    cohort.refresh_from_db()
    assert cohort.capacity == 3


@pytest.mark.parametrize("value", ["", "0", "-4", "lots"])
def test_invalid_capacity_redisplays_the_form(cohort, manager_client, value) -> None:
    response = manager_client.post(
        reverse("manage:capacity", args=[cohort.pk]), {"capacity": value}
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    cohort.refresh_from_db()
    assert cohort.capacity == 3


@pytest.fixture
def started(cohort):  # type: ignore[no-untyped-def]
    """The cohort, moved so that it began last week: attendance can be recorded."""
    today = timezone.localdate()
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=today - dt.timedelta(days=7), ends_on=today + dt.timedelta(days=60)
    )
    cohort.refresh_from_db()
    return cohort


@pytest.mark.parametrize(("completed", "state"), [("yes", S.COMPLETED), ("no", S.DID_NOT_COMPLETE)])
def test_record_attendance(started, manager_client, completed, state) -> None:
    cohort = started
    enrolled = make_application(cohort, S.ENROLLED)
    response = manager_client.post(
        reverse("manage:attendance", args=[cohort.pk]),
        {"application": enrolled.pk, "completed": completed},
    )
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.state == state


def test_attendance_for_someone_not_enrolled_is_refused(cohort, manager_client) -> None:
    offered = make_application(cohort, S.OFFERED)
    response = manager_client.post(
        reverse("manage:attendance", args=[cohort.pk]),
        {"application": offered.pk, "completed": "yes"},
    )
    assert str(NOT_ENROLLED) in messages_of(response)
    offered.refresh_from_db()
    assert offered.state == S.OFFERED


def test_attendance_for_another_cohorts_application_is_refused(cohort, manager_client) -> None:
    elsewhere = make_application(
        Cohort.objects.create(
            programme=cohort.programme, name="Other", starts_on=cohort.starts_on,
            ends_on=cohort.ends_on, capacity=5, delivery_mode="online",
        ),
        S.ENROLLED,
    )  # fmt: skip
    response = manager_client.post(
        reverse("manage:attendance", args=[cohort.pk]),
        {"application": elsewhere.pk, "completed": "yes"},
    )
    assert str(BAD_REQUEST) in messages_of(response)
    elsewhere.refresh_from_db()
    assert elsewhere.state == S.ENROLLED


def test_attendance_page_lists_enrolled_people(cohort, screener_client) -> None:
    enrolled = make_application(cohort, S.ENROLLED)
    make_application(cohort, S.OFFERED)
    response = screener_client.get(reverse("manage:attendance", args=[cohort.pk]))
    assert [a.pk for a in response.context["people"]] == [enrolled.pk]
    assert b"Did not complete" not in response.content  # screeners cannot record


def test_attendance_before_the_cohort_starts_is_refused(cohort, manager_client) -> None:
    enrolled = make_application(cohort, S.ENROLLED)
    page = manager_client.get(reverse("manage:attendance", args=[cohort.pk]))
    assert b"once the cohort has started" in page.content
    response = manager_client.post(
        reverse("manage:attendance", args=[cohort.pk]),
        {"application": enrolled.pk, "completed": "no"},
    )
    starts = cohort.starts_on.strftime("%-d %B %Y")
    assert str(NOT_STARTED % {"starts": starts}) in messages_of(response)
    enrolled.refresh_from_db()
    assert enrolled.state == S.ENROLLED


def test_a_recorded_mark_is_corrected_only_with_a_reason(started, manager_client, manager) -> None:
    enrolled = make_application(started, S.ENROLLED)
    url = reverse("manage:attendance", args=[started.pk])
    manager_client.post(url, {"application": enrolled.pk, "completed": "no"})
    page = manager_client.get(url).content.decode()
    assert "Correct this record" in page and "Change to completed" in page
    manager_client.post(url, {"application": enrolled.pk, "completed": "yes"})
    enrolled.refresh_from_db()
    assert enrolled.state == S.DID_NOT_COMPLETE  # no reason: refused
    manager_client.post(
        url, {"application": enrolled.pk, "completed": "yes", "reason": "Register was wrong."}
    )
    enrolled.refresh_from_db()
    assert enrolled.state == S.COMPLETED
    last = enrolled.events.order_by("-id").first()
    assert last.actor == manager and "Register was wrong." in last.reason


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1e3", "٣"])
def test_attendance_with_a_hand_made_id_is_refused_not_a_500(started, manager_client, value):
    response = manager_client.post(
        reverse("manage:attendance", args=[started.pk]), {"application": value, "completed": "yes"}
    )
    assert response.status_code == 302
    assert str(BAD_REQUEST) in messages_of(response)
