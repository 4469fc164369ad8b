"""The transitions table, pinned per admission mode.

The expected moves are written out here by hand, not derived from the table
under test, so a change to what a mode allows has to change this file too.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from applications.errors import ApplicationError
from applications.lifecycle import (
    ALLOWED,
    HOLDS_A_PLACE,
    WITHDRAWABLE,
    TransitionNotAllowed,
    can_transition,
    transition,
)
from applications.models import ApplicationEvent
from applications.models import ApplicationState as S
from programmes.models import AdmissionMode as M
from tests import factories

pytestmark = pytest.mark.django_db

D, SUB, EL, NR, INEL = S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE
OF, WL, REJ, ENR = S.OFFERED, S.WAITLISTED, S.REJECTED, S.ENROLLED
DEC, EXP, COMP, DNC, WD = S.DECLINED, S.EXPIRED, S.COMPLETED, S.DID_NOT_COMPLETE, S.WITHDRAWN

PINNED: dict[str, set[tuple[str, str]]] = {
    M.SELECTIVE: {
        (D, SUB),
        (SUB, EL), (SUB, NR), (SUB, INEL), (SUB, WD),
        (EL, OF), (EL, WL), (EL, REJ), (EL, INEL), (EL, NR), (EL, WD),
        (NR, EL), (NR, INEL), (NR, OF), (NR, WL), (NR, REJ), (NR, WD),
        (INEL, EL), (INEL, NR), (INEL, WD),
        (OF, ENR), (OF, DEC), (OF, EXP), (OF, WD), (OF, REJ),
        (WL, OF), (WL, REJ), (WL, WD),
        (ENR, COMP), (ENR, DNC), (ENR, WD),
        (COMP, DNC), (DNC, COMP),
    },
    M.FIRST_COME: {
        (D, SUB),
        (SUB, EL), (SUB, NR), (SUB, INEL), (SUB, WD),
        (EL, ENR), (EL, WL), (EL, WD),
        (NR, EL), (NR, INEL), (NR, REJ), (NR, WD),
        (INEL, EL), (INEL, NR), (INEL, WD),
        (WL, ENR), (WL, REJ), (WL, WD),
        (ENR, COMP), (ENR, DNC), (ENR, WD),
        (COMP, DNC), (DNC, COMP),
    },
    M.INVITATION: {
        (D, OF),
        (OF, ENR), (OF, DEC), (OF, EXP), (OF, WD),
        (ENR, COMP), (ENR, DNC), (ENR, WD),
        (COMP, DNC), (DNC, COMP),
    },
}  # fmt: skip

PAIRS = list(itertools.product(S.values, S.values))
CASES = [(mode, a, b, (a, b) in PINNED[mode]) for mode in PINNED for a, b in PAIRS if a != b]


def test_every_mode_has_a_table_naming_every_state() -> None:
    assert set(ALLOWED) == set(M.values)
    for table in ALLOWED.values():
        assert set(table) == set(S.values)


@pytest.mark.parametrize("mode", list(PINNED))
def test_table_is_exactly_the_pinned_moves(mode: str) -> None:
    actual = {(a, b) for a, b in PAIRS if can_transition(mode, a, b)}
    assert actual == PINNED[mode]


def test_first_come_and_invitation_cohorts_make_no_offers_from_screening() -> None:
    for state in (EL, NR, WL):
        assert not can_transition(M.FIRST_COME, state, OF)
        assert not can_transition(M.INVITATION, state, OF)
    assert not can_transition(M.SELECTIVE, D, OF)  # only invitations skip screening


def test_a_draft_cannot_be_withdrawn_it_is_deleted() -> None:
    assert D not in WITHDRAWABLE
    for mode in PINNED:
        assert not can_transition(mode, D, WD)


def test_attendance_marks_keep_their_place() -> None:
    assert {OF, ENR, COMP, DNC} == HOLDS_A_PLACE


def test_transition_not_allowed_is_a_domain_error() -> None:
    assert issubclass(TransitionNotAllowed, ApplicationError)


@pytest.mark.parametrize(("mode", "from_state", "to_state", "allowed"), CASES[::7])
def test_transition_follows_the_table_and_audits(mode, from_state, to_state, allowed) -> None:
    """A sample of every mode's pairs, through the real function and database."""
    application = factories.ApplicationFactory(
        state=from_state, cohort__programme__admission_mode=mode
    )
    actor = factories.UserFactory()
    if allowed:
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
    else:
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
