"""Screening decisions: a reason is required, overrides are recorded as such."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import ApplicationEvent
from applications.models import ApplicationState as S
from console.services import NOT_SCREENABLE, REASON_REQUIRED

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


def _decide(client, application, decision, reason="Checked references"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("manage:decide", args=[application.pk]), {"decision": decision, "reason": reason}
    )


def test_screener_marks_needs_review_as_eligible_and_it_is_an_override(
    cohort, screener, screener_client
) -> None:
    application = make_application(cohort, S.NEEDS_REVIEW)
    response = _decide(screener_client, application, "eligible")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.ELIGIBLE
    event = application.events.get()
    assert (event.actor, event.from_state, event.to_state) == (screener, S.NEEDS_REVIEW, S.ELIGIBLE)
    assert event.reason == "Checked references" and event.is_override


def test_agreeing_with_the_automatic_outcome_is_not_an_override(cohort, manager_client) -> None:
    application = make_application(cohort, S.INELIGIBLE)
    application.state = S.NEEDS_REVIEW  # someone asked for more information earlier
    application.save()
    _decide(manager_client, application, "ineligible")
    application.refresh_from_db()
    assert application.state == S.INELIGIBLE
    assert not application.events.get().is_override


def test_confirming_the_current_state_is_recorded_without_a_change(cohort, manager_client):
    application = make_application(cohort, S.ELIGIBLE)
    _decide(manager_client, application, "eligible")
    event = application.events.get()
    assert (event.from_state, event.to_state, event.is_override) == (S.ELIGIBLE, S.ELIGIBLE, False)


def test_needs_more_information_goes_to_needs_review(cohort, manager_client) -> None:
    application = make_application(cohort, S.SUBMITTED, eligibility_outcome="")
    _decide(manager_client, application, "needs_more_information")
    application.refresh_from_db()
    assert application.state == S.NEEDS_REVIEW
    assert not application.events.get().is_override  # no automatic outcome to override


@pytest.mark.parametrize("reason", ["", "   "])
def test_decision_without_a_reason_is_refused_and_changes_nothing(
    cohort, manager_client, reason
) -> None:
    application = make_application(cohort, S.NEEDS_REVIEW)
    response = _decide(manager_client, application, "eligible", reason=reason)
    assert response.status_code == 400
    assert str(REASON_REQUIRED) in response.content.decode()
    assert 'name="decision" value="eligible"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.NEEDS_REVIEW and not ApplicationEvent.objects.exists()


def test_unknown_decision_is_refused(cohort, manager_client) -> None:
    application = make_application(cohort, S.NEEDS_REVIEW)
    response = _decide(manager_client, application, "maybe")
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == S.NEEDS_REVIEW


def test_deciding_after_an_offer_is_refused_with_a_message(cohort, manager_client) -> None:
    application = make_application(cohort, S.OFFERED)
    response = _decide(manager_client, application, "ineligible")
    assert response.status_code == 302
    assert str(NOT_SCREENABLE) in messages_of(response)
    application.refresh_from_db()
    assert application.state == S.OFFERED and not application.events.exists()
