"""Cohorts in the Django admin: a new capacity goes through the places service.

The service locks the cohort, refuses fewer places than are taken, and hands new places to
the people waiting, exactly as the staff console does. The admin shows its refusal on the
capacity field and saves nothing, where it used to fail with an IntegrityError (a 500) or
raise the capacity without offering the new places to anyone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.models import ApplicationState as S
from applications.services.places import CAPACITY_BELOW_TAKEN
from programmes.models import COHORT_ENDS_BEFORE_IT_STARTS, Cohort
from tests import factories

from .conftest import change_form_data, inline_prefix

pytestmark = pytest.mark.django_db


def _cohort(*, capacity: int, taken: int, waiting: int = 0, mode: str = "first_come") -> Cohort:
    """A cohort with `taken` people enrolled and `waiting` people queueing, in order."""
    cohort = factories.CohortFactory(capacity=capacity, programme__admission_mode=mode)
    for _ in range(taken):
        factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=taken)
    joined = timezone.now() - dt.timedelta(days=5)
    for index in range(waiting):
        factories.ApplicationFactory(
            cohort=cohort, state=S.WAITLISTED, waitlisted_at=joined + dt.timedelta(hours=index)
        )
    cohort.refresh_from_db()
    return cohort


def _waiting_states(cohort: Cohort) -> list[str]:
    """What became of the people who were waiting, in the order they joined."""
    return list(
        Application.objects.filter(cohort=cohort, waitlisted_at__isnull=False)
        .order_by("waitlisted_at")
        .values_list("state", flat=True)
    )


def _change_url(cohort: Cohort) -> str:
    return reverse("admin:programmes_cohort_change", args=[cohort.pk])


def _programme_url(cohort: Cohort) -> str:
    return reverse("admin:programmes_programme_change", args=[cohort.programme_id])


def test_capacity_below_the_places_taken_is_a_form_error_and_saves_nothing(
    admin_client_: Client,
) -> None:
    cohort = _cohort(capacity=3, taken=2)
    name = cohort.name
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data.update(capacity="1", name="Renamed cohort")

    response = admin_client_.post(_change_url(cohort), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["capacity"] == [str(CAPACITY_BELOW_TAKEN % {"capacity": 1, "taken": 2})]
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken, cohort.name) == (3, 2, name)


def test_raising_capacity_hands_the_new_places_to_people_waiting(admin_client_: Client) -> None:
    cohort = _cohort(capacity=3, taken=3, waiting=3)
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data["capacity"] = "4"

    response = admin_client_.post(_change_url(cohort), data)

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken) == (4, 4)
    assert _waiting_states(cohort) == [S.ENROLLED, S.WAITLISTED, S.WAITLISTED]


def test_raising_capacity_of_a_selective_cohort_offers_the_new_places(
    admin_client_: Client,
) -> None:
    cohort = _cohort(capacity=2, taken=2, waiting=3, mode="selective")
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data["capacity"] = "4"

    assert admin_client_.post(_change_url(cohort), data).status_code == 302

    cohort.refresh_from_db()
    assert cohort.places_taken == 4
    assert _waiting_states(cohort) == [S.OFFERED, S.OFFERED, S.WAITLISTED]


def test_other_fields_are_saved_with_the_new_capacity(admin_client_: Client) -> None:
    cohort = _cohort(capacity=2, taken=2, waiting=1)
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data.update(capacity="3", venue="Leeds")

    assert admin_client_.post(_change_url(cohort), data).status_code == 302

    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken, cohort.venue) == (3, 3, "Leeds")


def test_places_taken_is_shown_but_cannot_be_posted(admin_client_: Client) -> None:
    cohort = _cohort(capacity=5, taken=2)
    page = admin_client_.get(_change_url(cohort))
    assert "places_taken" not in page.context["adminform"].form.fields
    assert "field-places_taken" in page.content.decode()  # shown read-only
    data = change_form_data(page)
    data.update(places_taken="0", venue="Leeds")

    assert admin_client_.post(_change_url(cohort), data).status_code == 302

    cohort.refresh_from_db()
    assert (cohort.venue, cohort.places_taken) == ("Leeds", 2)


def test_a_new_cohort_is_saved_with_no_places_taken(admin_client_: Client) -> None:
    programme = factories.ProgrammeFactory()
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "programme": str(programme.pk),
        "name": "Autumn cohort",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=60)).isoformat(),
        "capacity": "12",
        "delivery_mode": "online",
        "offer_deadline_days": "14",
    }

    response = admin_client_.post(reverse("admin:programmes_cohort_add"), data)

    assert response.status_code == 302
    cohort = Cohort.objects.get(programme=programme, name="Autumn cohort")
    assert (cohort.capacity, cohort.places_taken) == (12, 0)


def test_a_broken_check_constraint_is_explained_in_plain_english(admin_client_: Client) -> None:
    cohort = _cohort(capacity=5, taken=0)
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data["ends_on"] = (cohort.starts_on - dt.timedelta(days=1)).isoformat()

    response = admin_client_.post(_change_url(cohort), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        str(COHORT_ENDS_BEFORE_IT_STARTS)
    ]
    assert "cohort_ends_after_it_starts" not in response.content.decode()


# --- The cohorts on the Programme page ----------------------------------------------------


def test_programme_page_refuses_too_low_a_capacity_on_the_cohort_row(
    admin_client_: Client,
) -> None:
    cohort = _cohort(capacity=3, taken=2)
    other = factories.CohortFactory(programme=cohort.programme, capacity=5)
    page = admin_client_.get(_programme_url(cohort))
    prefix = inline_prefix(page, Cohort)
    data = change_form_data(page)
    rows = {int(data[f"{prefix}-{i}-id"]): i for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))}
    data[f"{prefix}-{rows[cohort.pk]}-capacity"] = "1"
    data[f"{prefix}-{rows[other.pk]}-capacity"] = "9"
    data["title"] = "Renamed programme"

    response = admin_client_.post(_programme_url(cohort), data)

    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Cohort
    )
    assert formset.forms[rows[cohort.pk]].errors["capacity"] == [
        str(CAPACITY_BELOW_TAKEN % {"capacity": 1, "taken": 2})
    ]
    # Nothing on the page was saved: not the programme, not the other cohort.
    cohort.refresh_from_db()
    other.refresh_from_db()
    cohort.programme.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken, other.capacity) == (3, 2, 5)
    assert cohort.programme.title != "Renamed programme"


def test_programme_page_hands_new_places_to_people_waiting(admin_client_: Client) -> None:
    cohort = _cohort(capacity=1, taken=1, waiting=2)
    page = admin_client_.get(_programme_url(cohort))
    prefix = inline_prefix(page, Cohort)
    data = change_form_data(page)
    data[f"{prefix}-0-capacity"] = "2"

    response = admin_client_.post(_programme_url(cohort), data)

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.places_taken) == (2, 2)
    assert _waiting_states(cohort) == [S.ENROLLED, S.WAITLISTED]


def test_a_place_taken_while_the_programme_page_saves_is_kept(admin_client_: Client) -> None:
    cohort = _cohort(capacity=4, taken=2)
    page = admin_client_.get(_programme_url(cohort))
    prefix = inline_prefix(page, Cohort)
    data = change_form_data(page)
    data[f"{prefix}-0-venue"] = "Bristol"

    def place_taken_meanwhile(sender: type[Cohort], instance: Cohort, **kwargs: Any) -> None:
        # As a concurrent offer would, after the admin loaded the cohort.
        Cohort.objects.filter(pk=instance.pk).update(places_taken=F("places_taken") + 1)

    pre_save.connect(place_taken_meanwhile, sender=Cohort)
    try:
        response = admin_client_.post(_programme_url(cohort), data)
    finally:
        pre_save.disconnect(place_taken_meanwhile, sender=Cohort)

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.venue, cohort.capacity, cohort.places_taken) == ("Bristol", 4, 3)


def test_programme_page_adds_a_new_cohort_with_no_places_taken(admin_client_: Client) -> None:
    cohort = _cohort(capacity=4, taken=2)
    page = admin_client_.get(_programme_url(cohort))
    prefix = inline_prefix(page, Cohort)
    data = change_form_data(page)
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    start = timezone.localdate() + dt.timedelta(days=90)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(row + 1),
            f"{prefix}-{row}-name": "Winter cohort",
            f"{prefix}-{row}-starts_on": start.isoformat(),
            f"{prefix}-{row}-ends_on": (start + dt.timedelta(days=30)).isoformat(),
            f"{prefix}-{row}-capacity": "8",
            f"{prefix}-{row}-delivery_mode": "online",
            f"{prefix}-{row}-programme": str(cohort.programme_id),
        }
    )

    assert admin_client_.post(_programme_url(cohort), data).status_code == 302

    new = Cohort.objects.get(programme=cohort.programme, name="Winter cohort")
    assert (new.capacity, new.places_taken) == (8, 0)
    cohort.refresh_from_db()
    assert cohort.places_taken == 2


def test_the_capacity_of_a_cancelled_cohort_is_a_form_error_not_a_500(
    admin_client_: Client,
) -> None:
    from programmes.models import COHORT_CANCELLED

    cohort = _cohort(capacity=3, taken=0)
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now())
    data = change_form_data(admin_client_.get(_change_url(cohort)))
    data["capacity"] = "5"

    response = admin_client_.post(_change_url(cohort), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [str(COHORT_CANCELLED)]
    cohort.refresh_from_db()
    assert cohort.capacity == 3
