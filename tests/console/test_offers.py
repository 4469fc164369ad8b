"""Offers one by one and in bulk, turning down, moving to the waiting list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from applications.services.places import COHORT_FULL, OFFERS_CLOSED
from applications.services.places.errors import NOT_OFFERABLE, not_enough_places
from console.forms.places import CHOOSE_OFFERABLE, CHOOSE_PEOPLE, REJECT_REASON_REQUIRED
from programmes.models import Cohort

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


def _taken(cohort) -> int:  # type: ignore[no-untyped-def]
    return Cohort.objects.get(pk=cohort.pk).places_taken


def _state(application) -> str:  # type: ignore[no-untyped-def]
    application.refresh_from_db()
    return application.state


def test_manager_offers_a_place(cohort, manager, manager_client) -> None:
    application = make_application(cohort)
    response = manager_client.post(reverse("manage:offer", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:application", args=[application.pk])
    assert _state(application) == S.OFFERED and _taken(cohort) == 1
    assert application.events.get().actor == manager


def test_offer_beyond_capacity_gives_a_message_and_changes_nothing(cohort, manager_client):
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)
    application = make_application(cohort)
    response = manager_client.post(reverse("manage:offer", args=[application.pk]))
    assert response.status_code == 302
    assert str(COHORT_FULL) in messages_of(response)
    assert _state(application) == S.ELIGIBLE and _taken(cohort) == 3


def test_offer_after_the_cohort_started_is_refused(cohort, manager_client) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=1)
    )
    application = make_application(cohort)
    response = manager_client.post(reverse("manage:offer", args=[application.pk]))
    assert str(OFFERS_CLOSED) in messages_of(response)
    assert _state(application) == S.ELIGIBLE and _taken(cohort) == 0


@pytest.mark.parametrize("state", [S.INELIGIBLE, S.SUBMITTED, S.ENROLLED, S.REJECTED])
def test_offer_from_a_state_that_cannot_be_offered_is_refused(cohort, manager_client, state):
    application = make_application(cohort, state)
    response = manager_client.post(reverse("manage:offer", args=[application.pk]))
    assert str(NOT_OFFERABLE) in messages_of(response)
    assert _state(application) == state and _taken(cohort) == 0


def test_bulk_offer_offers_everyone_chosen(cohort, manager_client) -> None:
    chosen = [make_application(cohort) for _ in range(2)]
    response = manager_client.post(
        reverse("manage:bulk_offer", args=[cohort.pk]), {"applications": [a.pk for a in chosen]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:queue", args=[cohort.pk])
    assert [_state(a) for a in chosen] == [S.OFFERED, S.OFFERED] and _taken(cohort) == 2
    assert "2 places offered. We have emailed each applicant." in messages_of(response)


def test_bulk_offer_over_capacity_offers_nobody_and_says_why(cohort, manager_client) -> None:
    chosen = [make_application(cohort) for _ in range(4)]
    response = manager_client.post(
        reverse("manage:bulk_offer", args=[cohort.pk]), {"applications": [a.pk for a in chosen]}
    )
    assert response.status_code == 302
    assert not_enough_places(chosen=4, left=3) in messages_of(response)
    assert (
        "You chose 4 people but only 3 places are left. Choose fewer people or raise the "
        "number of places."
    ) in messages_of(response)
    assert {_state(a) for a in chosen} == {S.ELIGIBLE} and _taken(cohort) == 0


def test_bulk_offer_with_nobody_chosen(cohort, manager_client) -> None:
    response = manager_client.post(reverse("manage:bulk_offer", args=[cohort.pk]), {})
    assert response.status_code == 400
    assert str(CHOOSE_PEOPLE) in response.content.decode()


@pytest.mark.parametrize(
    "bad", ["draft", "other_cohort", "not-a-number", "999999", "99999999999999999999", "-5", "٣"]
)
def test_bulk_offer_with_someone_who_cannot_be_offered_offers_nobody(cohort, manager_client, bad):
    good = make_application(cohort)
    if bad == "draft":
        value = make_application(cohort, S.DRAFT).pk
    elif bad == "other_cohort":
        value = make_application(
            Cohort.objects.create(
                programme=cohort.programme, name="Other", starts_on=cohort.starts_on,
                ends_on=cohort.ends_on, capacity=5, delivery_mode="online",
            )
        ).pk  # fmt: skip
    else:
        value = bad
    response = manager_client.post(
        reverse("manage:bulk_offer", args=[cohort.pk]), {"applications": [good.pk, value]}
    )
    assert response.status_code == 400
    assert str(CHOOSE_OFFERABLE) in response.content.decode()
    assert _state(good) == S.ELIGIBLE and _taken(cohort) == 0


def test_reject_with_a_reason(cohort, manager_client) -> None:
    application = make_application(cohort, S.NEEDS_REVIEW)
    response = manager_client.post(
        reverse("manage:reject", args=[application.pk]), {"reason": "Not enough experience"}
    )
    assert response.status_code == 302
    assert _state(application) == S.REJECTED
    assert application.events.get().reason == "Not enough experience"


def test_reject_without_a_reason_redisplays_the_form(cohort, manager_client) -> None:
    application = make_application(cohort)
    response = manager_client.post(reverse("manage:reject", args=[application.pk]), {"reason": " "})
    assert response.status_code == 400
    assert str(REJECT_REASON_REQUIRED) in response.content.decode()
    assert _state(application) == S.ELIGIBLE


def test_reject_after_enrolment_is_refused_with_a_message(cohort, manager_client) -> None:
    application = make_application(cohort, S.ENROLLED)
    response = manager_client.post(
        reverse("manage:reject", args=[application.pk]), {"reason": "Changed our minds"}
    )
    assert response.status_code == 302
    assert messages_of(response) and _state(application) == S.ENROLLED


def test_move_to_the_waiting_list(cohort, manager_client) -> None:
    application = make_application(cohort)
    response = manager_client.post(reverse("manage:waitlist", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.WAITLISTED and application.waitlisted_at is not None


def test_move_to_the_waiting_list_from_a_wrong_state_gives_a_message(cohort, manager_client):
    application = make_application(cohort, S.INELIGIBLE)
    response = manager_client.post(reverse("manage:waitlist", args=[application.pk]))
    assert response.status_code == 302
    assert messages_of(response) and _state(application) == S.INELIGIBLE


def test_get_on_an_action_is_not_allowed(cohort, manager_client) -> None:
    application = make_application(cohort)
    assert manager_client.get(reverse("manage:offer", args=[application.pk])).status_code == 405
    assert _state(application) == S.ELIGIBLE


def test_the_not_enough_places_message_agrees_with_its_numbers() -> None:
    assert not_enough_places(chosen=1, left=0).startswith(
        "You chose 1 person but only 0 places are left."
    )
    assert not_enough_places(chosen=2, left=1).startswith(
        "You chose 2 people but only 1 place is left."
    )
