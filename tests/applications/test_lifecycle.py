"""The transitions table: every allowed move works and is audited; every other is refused."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from applications.lifecycle import (
    ALLOWED,
    FINAL,
    WITHDRAWABLE,
    TransitionNotAllowed,
    can_transition,
    transition,
)
from applications.models import ApplicationEvent
from applications.models import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(S.values, S.values))
ALLOWED_PAIRS = [(a, b) for a, b in PAIRS if can_transition(a, b)]
FORBIDDEN_PAIRS = [(a, b) for a, b in PAIRS if not can_transition(a, b)]


def test_table_names_every_state() -> None:
    assert set(ALLOWED) == set(S.values)


def test_brief_lifecycle_is_in_the_table() -> None:
    expected = {
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.ELIGIBLE),
        (S.SUBMITTED, S.NEEDS_REVIEW),
        (S.SUBMITTED, S.INELIGIBLE),
        (S.ELIGIBLE, S.OFFERED),
        (S.ELIGIBLE, S.WAITLISTED),
        (S.ELIGIBLE, S.REJECTED),
        (S.NEEDS_REVIEW, S.OFFERED),
        (S.NEEDS_REVIEW, S.WAITLISTED),
        (S.NEEDS_REVIEW, S.REJECTED),
        (S.OFFERED, S.ENROLLED),
        (S.OFFERED, S.DECLINED),
        (S.OFFERED, S.EXPIRED),
        (S.WAITLISTED, S.OFFERED),
        (S.ENROLLED, S.COMPLETED),
        (S.ENROLLED, S.DID_NOT_COMPLETE),
        (S.ENROLLED, S.WITHDRAWN),
    }
    assert expected <= set(ALLOWED_PAIRS)


def test_every_state_before_enrolment_can_be_withdrawn() -> None:
    before_enrolment = {
        S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.OFFERED, S.WAITLISTED,
    }  # fmt: skip
    assert before_enrolment <= WITHDRAWABLE


def test_final_states_go_nowhere() -> None:
    assert {
        S.REJECTED,
        S.DECLINED,
        S.EXPIRED,
        S.COMPLETED,
        S.DID_NOT_COMPLETE,
        S.WITHDRAWN,
    } == FINAL


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED_PAIRS)
def test_allowed_transition_changes_state_and_is_audited(from_state, to_state) -> None:
    application = factories.ApplicationFactory(state=from_state)
    actor = factories.UserFactory()
    with transaction.atomic():
        event = transition(application=application, to=to_state, by=actor, reason="Because.")
    application.refresh_from_db()
    assert application.state == to_state
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        actor,
        from_state,
        to_state,
        "Because.",
    )
    assert event.created_at is not None


@pytest.mark.parametrize(("from_state", "to_state"), FORBIDDEN_PAIRS)
def test_forbidden_transition_is_refused_and_changes_nothing(from_state, to_state) -> None:
    application = factories.ApplicationFactory(state=from_state)
    with pytest.raises(TransitionNotAllowed) as raised, transaction.atomic():
        transition(application=application, to=to_state, by=None)
    application.refresh_from_db()
    assert application.state == from_state
    assert not ApplicationEvent.objects.filter(application=application).exists()
    assert str(S(from_state).label) in str(raised.value)


@pytest.mark.django_db(transaction=True)
def test_transition_outside_a_transaction_is_a_programming_error() -> None:
    application = factories.ApplicationFactory(state=S.SUBMITTED)
    with pytest.raises(RuntimeError):
        transition(application=application, to=S.ELIGIBLE, by=None)
