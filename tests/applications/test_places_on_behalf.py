"""The team undoes or ends a place: rescind, take back an invitation, withdraw an enrolled
person, move someone to another cohort. Each needs a reason, tells the person, hands the
place on, and refuses what does not apply without changing anything.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from post_office.models import Email

from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services import places
from programmes.models import Cohort
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return factories.UserFactory(email="team@example.org")


def _cohort(mode: str = "selective", **kwargs):  # type: ignore[no-untyped-def]
    return factories.CohortFactory(programme__admission_mode=mode, **kwargs)


def _waiting(cohort, hours: int = 0):  # type: ignore[no-untyped-def]
    return factories.ApplicationFactory(
        cohort=cohort,
        state=S.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=hours),
    )


def _state(application) -> str:  # type: ignore[no-untyped-def]
    return Application.objects.get(pk=application.pk).state


def _true(cohort) -> bool:  # type: ignore[no-untyped-def]
    held = Application.objects.filter(cohort=cohort, state__in=HOLDS_A_PLACE).count()
    stored = Cohort.objects.get(pk=cohort.pk)
    return stored.places_taken == held <= stored.capacity


def _snapshot():  # type: ignore[no-untyped-def]
    return (
        sorted(Application.objects.values_list("pk", "cohort_id", "state")),
        list(Cohort.objects.order_by("pk").values_list("pk", "places_taken")),
        ApplicationEvent.objects.count(),
        Email.objects.count(),
    )


def test_rescinding_an_offer_hands_the_place_on_and_tells_them_why(staff) -> None:
    cohort = _cohort(capacity=1)
    offered = places.application_offer(
        application=factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE), by=staff
    )
    nxt = _waiting(cohort)
    places.offer_rescind(application=offered, by=staff, reason="Offered by mistake.")
    assert (_state(offered), _state(nxt)) == (S.REJECTED, S.OFFERED)
    assert _true(cohort)
    told = Email.objects.filter(to__contains=offered.applicant.email).order_by("-id").first()
    assert "withdrawn" in told.subject and "Offered by mistake." in told.message


def test_a_wrong_invitation_is_taken_back(staff) -> None:
    cohort = _cohort("invitation", capacity=2)
    invited = factories.ApplicationFactory(cohort=cohort, state=S.DRAFT, invited=True)
    places.application_offer(application=invited, by=staff, notify=False)
    places.offer_rescind(application=invited, by=staff, reason="Wrong person.")
    assert _state(invited) == S.WITHDRAWN
    assert _true(cohort)


@pytest.mark.parametrize("reason", ["", "   "])
def test_every_undo_needs_a_reason(staff, reason) -> None:
    cohort = _cohort(capacity=2)
    offered = places.application_offer(
        application=factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE), by=staff
    )
    other = _cohort(programme=cohort.programme)
    before = _snapshot()
    with pytest.raises(places.ReasonNeeded):
        places.offer_rescind(application=offered, by=staff, reason=reason)
    with pytest.raises(places.ReasonNeeded):
        places.application_transfer(application=offered, to_cohort=other, by=staff, reason=reason)
    assert _snapshot() == before


@pytest.mark.parametrize("state", [S.ELIGIBLE, S.ENROLLED, S.DECLINED, S.WAITLISTED])
def test_rescinding_what_is_not_an_offer_is_refused(staff, state) -> None:
    application = factories.ApplicationFactory(cohort=_cohort(), state=state)
    before = _snapshot()
    with pytest.raises(places.NoOffer):
        places.offer_rescind(application=application, by=staff, reason="Because.")
    assert _snapshot() == before


def test_withdrawing_an_enrolled_person_frees_the_place_for_the_next(staff) -> None:
    cohort = _cohort("first_come", capacity=1)
    enrolled = factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    nxt = _waiting(cohort)
    places.enrolment_withdraw(application=enrolled, by=staff, reason="Changed jobs.")
    assert (_state(enrolled), _state(nxt)) == (S.WITHDRAWN, S.ENROLLED)
    assert _true(cohort)
    event = Application.objects.get(pk=enrolled.pk).events.get()
    assert event.actor == staff and "Changed jobs." in event.reason


@pytest.mark.parametrize("state", [S.OFFERED, S.WAITLISTED, S.COMPLETED])
def test_the_team_withdraws_only_enrolled_people(staff, state) -> None:
    application = factories.ApplicationFactory(cohort=_cohort(), state=state)
    before = _snapshot()
    with pytest.raises(places.NotEnrolled):
        places.enrolment_withdraw(application=application, by=staff, reason="Because.")
    assert _snapshot() == before


def test_deferring_an_enrolled_person_keeps_their_screening_and_frees_the_old_place(
    staff,
) -> None:
    now_cohort = _cohort("first_come", capacity=1)
    later = factories.CohortFactory(
        programme=now_cohort.programme,
        capacity=2,
        starts_on=now_cohort.starts_on + dt.timedelta(days=180),
    )
    enrolled = factories.ApplicationFactory(
        cohort=now_cohort,
        state=S.ENROLLED,
        eligibility_outcome="eligible",
        eligibility_results=[{"outcome": "pass", "reason": "Enough years."}],
        supporting_statement="Why I apply.",
    )
    Cohort.objects.filter(pk=now_cohort.pk).update(places_taken=1)
    nxt = _waiting(now_cohort)
    moved = places.application_transfer(
        application=enrolled, to_cohort=later, by=staff, reason="Asked to defer a year."
    )
    assert moved.cohort_id == later.pk and _state(moved) == S.ENROLLED
    stored = Application.objects.get(pk=moved.pk)
    assert stored.eligibility_outcome == "eligible"
    assert stored.eligibility_results == [{"outcome": "pass", "reason": "Enough years."}]
    assert stored.supporting_statement == "Why I apply."
    assert _state(enrolled) == S.WITHDRAWN  # the old record stays in the history
    assert _state(nxt) == S.ENROLLED  # the freed place went on at once
    assert _true(now_cohort) and _true(later)


def test_moving_someone_waiting_puts_them_at_the_back_of_the_new_queue(staff) -> None:
    first = _cohort(capacity=1)
    second = factories.CohortFactory(programme=first.programme, capacity=1)
    already = _waiting(second, hours=0)
    mover = _waiting(first, hours=-5)  # joined earlier, but on the other cohort
    moved = places.application_transfer(
        application=mover, to_cohort=second, by=staff, reason="Better dates."
    )
    assert [places.waitlist_position(a) for a in (already, moved)] == [1, 2]


def test_a_move_into_a_full_cohort_is_refused_and_changes_nothing(staff) -> None:
    first = _cohort(capacity=2)
    full = factories.CohortFactory(programme=first.programme, capacity=1)
    factories.ApplicationFactory(cohort=full, state=S.ENROLLED)
    Cohort.objects.filter(pk=full.pk).update(places_taken=1)
    enrolled = factories.ApplicationFactory(cohort=first, state=S.ENROLLED)
    Cohort.objects.filter(pk=first.pk).update(places_taken=1)
    before = _snapshot()
    with pytest.raises(places.CohortFull):
        places.application_transfer(application=enrolled, to_cohort=full, by=staff, reason="X")
    assert _snapshot() == before


def test_a_move_to_another_programme_or_the_same_cohort_is_refused(staff) -> None:
    cohort = _cohort(capacity=2)
    elsewhere = _cohort(capacity=2)
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    before = _snapshot()
    for target in (elsewhere, cohort):
        with pytest.raises(places.TransferRefused):
            places.application_transfer(
                application=application, to_cohort=target, by=staff, reason="X"
            )
    assert _snapshot() == before


def test_a_move_to_a_cohort_they_already_applied_to_is_refused(staff) -> None:
    cohort = _cohort(capacity=2)
    sibling = factories.CohortFactory(programme=cohort.programme, capacity=2)
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    factories.ApplicationFactory(cohort=sibling, applicant=application.applicant, state=S.DRAFT)
    before = _snapshot()
    with pytest.raises(places.TransferRefused):
        places.application_transfer(
            application=application, to_cohort=sibling, by=staff, reason="X"
        )
    assert _snapshot() == before
