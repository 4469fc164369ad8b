"""The application page's "Change or undo" actions, posted as a manager, a screener and
with bad input. Each refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Application
from applications.models import ApplicationState as S
from applications.services import places
from programmes.models import Cohort
from tests import factories

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


def _state(application) -> str:  # type: ignore[no-untyped-def]
    return Application.objects.get(pk=application.pk).state


def test_manager_takes_back_an_offer_with_a_reason(cohort, manager, manager_client) -> None:
    offered = places.application_offer(application=make_application(cohort), by=manager)
    page = manager_client.get(reverse("manage:application", args=[offered.pk]))
    assert b"Take back the offer" in page.content
    response = manager_client.post(
        reverse("manage:rescind", args=[offered.pk]), {"rescind-reason": "Sent in error."}
    )
    assert response.status_code == 302
    assert _state(offered) == S.REJECTED
    assert Cohort.objects.get(pk=cohort.pk).places_taken == 0


def test_undo_without_a_reason_is_a_400_and_changes_nothing(cohort, manager, manager_client):
    offered = places.application_offer(application=make_application(cohort), by=manager)
    response = manager_client.post(reverse("manage:rescind", args=[offered.pk]), {})
    assert response.status_code == 400
    assert b"Give a reason" in response.content
    assert _state(offered) == S.OFFERED


def test_a_screener_cannot_undo(cohort, manager, screener_client) -> None:
    offered = places.application_offer(application=make_application(cohort), by=manager)
    response = screener_client.post(
        reverse("manage:rescind", args=[offered.pk]), {"rescind-reason": "No."}
    )
    assert response.status_code == 403
    assert _state(offered) == S.OFFERED


def test_withdrawing_someone_not_enrolled_says_why(cohort, manager_client) -> None:
    eligible = make_application(cohort)
    response = manager_client.post(
        reverse("manage:withdraw", args=[eligible.pk]), {"withdraw-reason": "Asked to."}
    )
    assert "Only someone enrolled" in " ".join(messages_of(response))
    assert _state(eligible) == S.ELIGIBLE


def test_manager_moves_someone_to_a_later_cohort(cohort, manager, manager_client) -> None:
    later = factories.CohortFactory(
        programme=cohort.programme, name="Autumn", starts_on=cohort.starts_on + dt.timedelta(90)
    )
    waiting = make_application(cohort, S.ELIGIBLE)
    page = manager_client.get(reverse("manage:application", args=[waiting.pk])).content.decode()
    assert "Move to another cohort" in page and "Autumn" in page
    response = manager_client.post(
        reverse("manage:transfer", args=[waiting.pk]),
        {"transfer-cohort": later.pk, "transfer-reason": "Better dates for them."},
    )
    moved = Application.objects.get(cohort=later, applicant=waiting.applicant)
    assert response.url == reverse("manage:application", args=[moved.pk])
    assert _state(waiting) == S.WITHDRAWN and moved.state == S.ELIGIBLE


@pytest.mark.parametrize("value", ["", "99999999999999999999", "abc"])
def test_a_move_to_a_cohort_not_offered_is_a_400(cohort, manager_client, value) -> None:
    elsewhere = factories.CohortFactory()  # another programme: never in the list
    application = make_application(cohort)
    for choice in (value, str(elsewhere.pk)):
        response = manager_client.post(
            reverse("manage:transfer", args=[application.pk]),
            {"transfer-cohort": choice, "transfer-reason": "Because."},
        )
        assert response.status_code == 400
    assert _state(application) == S.ELIGIBLE
