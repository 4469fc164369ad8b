"""Every places service guards its own preconditions, whoever calls it.

Each test makes a request no page offers (a stale tab, a replay, another state,
another mode) and asserts both the refusal and that nothing changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from post_office.models import Email

from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services import places
from applications.services.drafts import application_start
from applications.services.submission import application_submit
from applications.services.withdrawal import application_withdraw
from console.services import DECISION_ELIGIBLE, screening_decide
from programmes.models import Cohort
from tests import factories

from .conftest import READY_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return factories.UserFactory(email="team@example.org")


def _cohort(mode: str = "selective", **kwargs):  # type: ignore[no-untyped-def]
    return factories.CohortFactory(programme__admission_mode=mode, **kwargs)


def _app(cohort, state=S.ELIGIBLE, **kwargs):  # type: ignore[no-untyped-def]
    return factories.ApplicationFactory(cohort=cohort, state=state, **kwargs)


def _holding(cohort, state=S.ENROLLED, **kwargs):  # type: ignore[no-untyped-def]
    """An application holding a place, with the cohort's counter kept true."""
    application = _app(cohort, state, **kwargs)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=cohort.places_taken + 1)
    cohort.refresh_from_db()
    return application


def _snapshot(cohort):  # type: ignore[no-untyped-def]
    """What a refused request must leave exactly as it was."""
    return (
        Cohort.objects.values_list("capacity", "places_taken").get(pk=cohort.pk),
        sorted(Application.objects.filter(cohort=cohort).values_list("pk", "state")),
        ApplicationEvent.objects.filter(application__cohort=cohort).count(),
        Email.objects.count(),
    )


def _taken_is_true(cohort) -> bool:  # type: ignore[no-untyped-def]
    held = Application.objects.filter(cohort=cohort, state__in=HOLDS_A_PLACE).count()
    return Cohort.objects.get(pk=cohort.pk).places_taken == held


# --- 1. Accepting needs an outstanding offer ---------------------------------


@pytest.mark.parametrize("state", [S.ELIGIBLE, S.NEEDS_REVIEW, S.WAITLISTED, S.DRAFT, S.DECLINED])
def test_accept_without_an_offer_is_refused_and_takes_no_place(state) -> None:
    cohort = _cohort(capacity=2)
    application = _app(cohort, state, waitlisted_at=timezone.now())
    before = _snapshot(cohort)
    with pytest.raises(places.NoOffer):
        places.offer_accept(application=application, by=application.applicant)
    assert _snapshot(cohort) == before


def test_last_person_waiting_cannot_jump_the_queue_by_accepting() -> None:
    cohort = _cohort(capacity=1)
    start = timezone.now() - dt.timedelta(days=2)
    first = _app(cohort, S.WAITLISTED, waitlisted_at=start)
    last = _app(cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(hours=1))
    with pytest.raises(places.NoOffer):
        places.offer_accept(application=last, by=last.applicant)
    assert places.waitlist_position(first) == 1 and places.waitlist_position(last) == 2
    assert Cohort.objects.get(pk=cohort.pk).places_taken == 0


def test_declining_twice_frees_one_place(staff) -> None:
    cohort = _cohort(capacity=1)
    application = places.application_offer(application=_app(cohort), by=staff)
    places.offer_decline(application=application, by=application.applicant)
    before = _snapshot(cohort)
    with pytest.raises(places.NoOffer):
        places.offer_decline(application=application, by=application.applicant)
    assert _snapshot(cohort) == before
    assert _taken_is_true(cohort)


# --- 2. Only someone waiting can leave the waiting list ----------------------


@pytest.mark.parametrize("state", [S.OFFERED, S.ENROLLED, S.DRAFT, S.ELIGIBLE])
def test_leaving_the_waiting_list_is_refused_unless_waiting(state) -> None:
    cohort = _cohort(capacity=2)
    application = _holding(cohort, state) if state in HOLDS_A_PLACE else _app(cohort, state)
    before = _snapshot(cohort)
    with pytest.raises(places.NotWaiting):
        places.waitlist_leave(application=application, by=application.applicant)
    assert _snapshot(cohort) == before


def test_leave_link_from_an_old_email_changes_nothing_once_offered(client, staff) -> None:
    from applications.tokens import waitlist_leave_token

    cohort = _cohort(capacity=1)
    application = _app(cohort)
    places.waitlist_add(application=application, by=staff)
    token = waitlist_leave_token(application)
    places.cohort_capacity_change(cohort=cohort, capacity=2, by=staff)  # offered from the list
    application.refresh_from_db()
    assert application.state == S.OFFERED
    before = _snapshot(cohort)
    response = client.post(f"/account/applications/waiting-list/leave/{token}/")
    assert response.status_code < 500
    assert _snapshot(cohort) == before


# --- 5. A first-come decision of "eligible" books or queues -------------------


def test_first_come_review_decided_eligible_books_a_free_place(staff) -> None:
    cohort = _cohort("first_come", capacity=2)
    application = _app(cohort, S.NEEDS_REVIEW, submitted_at=timezone.now())
    screening_decide(
        application=application, decision=DECISION_ELIGIBLE, reason="Checked.", by=staff
    )
    application.refresh_from_db()
    assert application.state == S.ENROLLED
    assert _taken_is_true(cohort)


def test_first_come_review_decided_eligible_queues_in_submission_order(staff) -> None:
    cohort = _cohort("first_come", capacity=1)
    start = timezone.now() - dt.timedelta(days=3)
    _holding(cohort, S.ENROLLED, submitted_at=start)
    reviewed = _app(cohort, S.NEEDS_REVIEW, submitted_at=start + dt.timedelta(hours=1))
    later = _app(
        cohort,
        S.WAITLISTED,
        submitted_at=start + dt.timedelta(hours=2),
        waitlisted_at=start + dt.timedelta(hours=2),
    )
    screening_decide(application=reviewed, decision=DECISION_ELIGIBLE, reason="Ok.", by=staff)
    reviewed.refresh_from_db()
    assert reviewed.state == S.WAITLISTED
    assert [places.waitlist_position(a) for a in (reviewed, later)] == [1, 2]


def test_first_come_cohort_makes_no_offers(staff) -> None:
    cohort = _cohort("first_come", capacity=3)
    application = _app(cohort, S.ELIGIBLE)
    before = _snapshot(cohort)
    with pytest.raises(places.NotOfferable):
        places.application_offer(application=application, by=staff)
    with pytest.raises(places.NotWaitlistable):
        places.waitlist_add(application=application, by=staff)
    assert _snapshot(cohort) == before


# --- 6. Attendance -----------------------------------------------------------


def _started(**kwargs):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return _cohort(starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=30))


def test_attendance_is_refused_before_the_cohort_starts(staff) -> None:
    cohort = _cohort(capacity=2)
    enrolled = _holding(cohort)
    before = _snapshot(cohort)
    with pytest.raises(places.AttendanceRefused):
        places.attendance_record(application=enrolled, completed=False, by=staff)
    assert _snapshot(cohort) == before


def test_attendance_can_be_corrected_with_a_reason_and_keeps_the_place(staff) -> None:
    cohort = _started()
    enrolled = _holding(cohort)
    places.attendance_record(application=enrolled, completed=False, by=staff)
    with pytest.raises(places.AttendanceRefused):
        places.attendance_record(application=enrolled, completed=True, by=staff)
    places.attendance_record(
        application=enrolled, completed=True, by=staff, reason="Marked in error."
    )
    enrolled.refresh_from_db()
    assert enrolled.state == S.COMPLETED
    event = enrolled.events.order_by("-id").first()
    assert (event.from_state, event.to_state, event.actor) == (
        S.DID_NOT_COMPLETE,
        S.COMPLETED,
        staff,
    )
    assert "Marked in error." in event.reason
    assert _taken_is_true(cohort)


def test_recording_the_same_mark_twice_changes_nothing(staff) -> None:
    cohort = _started()
    enrolled = _holding(cohort)
    places.attendance_record(application=enrolled, completed=True, by=staff)
    before = _snapshot(cohort)
    places.attendance_record(application=enrolled, completed=True, by=staff)
    assert _snapshot(cohort) == before


# --- 7. One place per programme, on every path; closed accounts get none ------


def test_staff_offer_is_refused_to_someone_holding_a_place_on_a_sibling_cohort(staff) -> None:
    cohort = _cohort(capacity=3)
    sibling = factories.CohortFactory(programme=cohort.programme)
    application = _app(cohort)
    _holding(sibling, S.OFFERED, applicant=application.applicant)
    before = _snapshot(cohort)
    with pytest.raises(places.HoldsAnotherPlace):
        places.application_offer(application=application, by=staff)
    with pytest.raises(places.HoldsAnotherPlace):
        places.applications_offer_bulk(cohort=cohort, application_ids=[application.pk], by=staff)
    assert _snapshot(cohort) == before


def test_bulk_offer_is_all_or_nothing(staff) -> None:
    cohort = _cohort(capacity=5)
    sibling = factories.CohortFactory(programme=cohort.programme)
    fine, blocked = _app(cohort), _app(cohort)
    _holding(sibling, S.ENROLLED, applicant=blocked.applicant)
    before = _snapshot(cohort)
    with pytest.raises(places.HoldsAnotherPlace):
        places.applications_offer_bulk(
            cohort=cohort, application_ids=[fine.pk, blocked.pk], by=staff
        )
    assert _snapshot(cohort) == before


def test_bulk_offer_refuses_ids_of_other_cohorts_or_none_at_all(staff) -> None:
    cohort = _cohort(capacity=5)
    elsewhere = _app(_cohort())
    before = _snapshot(cohort)
    for ids in ([elsewhere.pk], [99_999_999]):
        with pytest.raises(places.PlacesError):
            places.applications_offer_bulk(cohort=cohort, application_ids=ids, by=staff)
    assert _snapshot(cohort) == before


def test_first_come_booking_is_refused_to_someone_holding_a_sibling_place(ready) -> None:
    programme = ready.cohort.programme
    programme.admission_mode = "first_come"
    programme.save()
    sibling = factories.CohortFactory(programme=programme)
    _holding(sibling, S.ENROLLED, applicant=ready.applicant)
    before = _snapshot(ready.cohort)
    with pytest.raises(places.HoldsAnotherPlace):
        application_submit(application=ready.application, by=ready.applicant)
    assert _snapshot(ready.cohort) == before
    ready.application.refresh_from_db()
    assert ready.application.state == S.DRAFT  # nothing lost: still a draft to come back to


def test_closed_accounts_are_never_offered_places(staff) -> None:
    cohort = _cohort(capacity=1)
    start = timezone.now() - dt.timedelta(days=1)
    closed = _app(cohort, S.WAITLISTED, waitlisted_at=start)
    closed.applicant.is_active = False
    closed.applicant.save()
    nxt = _app(cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(hours=1))
    assert places.waitlist_position(nxt) == 1
    places.cohort_capacity_change(cohort=cohort, capacity=2, by=staff)
    closed.refresh_from_db()
    nxt.refresh_from_db()
    assert (closed.state, nxt.state) == (S.WAITLISTED, S.OFFERED)
    other = _app(_cohort(capacity=1), applicant=closed.applicant)
    with pytest.raises(places.AccountInactive):
        places.application_offer(application=other, by=staff)
    other.refresh_from_db()
    assert other.state == S.ELIGIBLE


# --- 8. No per-offer timed task ----------------------------------------------


def test_an_offer_queues_no_timed_expiry_task(staff, django_capture_on_commit_callbacks) -> None:
    from portal.celery import app

    app.loader.import_default_modules()
    assert "applications.tasks.offer_expire_task" not in app.tasks
    with django_capture_on_commit_callbacks() as callbacks:
        places.application_offer(application=_app(_cohort()), by=staff)
    # Only the outbox nudge for the offer email; nothing scheduled for the deadline.
    assert len(callbacks) == 1


# --- 10. Withdrawn, then apply again -----------------------------------------


def test_after_withdrawing_a_person_may_apply_again_as_a_new_application(ready) -> None:
    application_submit(application=ready.application, by=ready.applicant)
    application_withdraw(application=ready.application, by=ready.applicant)
    again, created = application_start(cohort=ready.cohort, applicant=ready.applicant)
    assert created and again.pk != ready.application.pk and again.state == S.DRAFT
    ready.application.refresh_from_db()
    assert ready.application.state == S.WITHDRAWN  # the old record stays in the history
    same, created = application_start(cohort=ready.cohort, applicant=ready.applicant)
    assert (same.pk, created) == (again.pk, False)


def test_a_second_current_application_is_refused_by_the_database(ready) -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(cohort=ready.cohort, applicant=ready.applicant)


def test_a_deleted_draft_is_gone_and_the_person_can_start_again(ready) -> None:
    from applications.services.drafts import application_draft_delete

    application_draft_delete(application=ready.application)
    assert not Application.objects.filter(pk=ready.application.pk).exists()
    application_draft_delete(application=ready.application)  # a replay: nothing to do
    _again, created = application_start(cohort=ready.cohort, applicant=ready.applicant)
    assert created


def test_a_submitted_application_cannot_be_deleted_as_a_draft(ready) -> None:
    from applications.errors import NotADraft
    from applications.services.drafts import application_draft_delete

    application_submit(application=ready.application, by=ready.applicant)
    with pytest.raises(NotADraft):
        application_draft_delete(application=ready.application)
    assert Application.objects.filter(pk=ready.application.pk).exists()


def test_a_finished_application_cannot_be_withdrawn(staff) -> None:
    from applications.errors import NotWithdrawable

    cohort = _cohort()
    for state in (S.DRAFT, S.REJECTED, S.WITHDRAWN, S.DECLINED):
        application = _app(cohort, state)
        before = _snapshot(cohort)
        with pytest.raises(NotWithdrawable):
            application_withdraw(application=application, by=application.applicant)
        assert _snapshot(cohort) == before


def test_ready_fixture_is_selective_with_its_declaration(ready) -> None:
    # Guards the fixtures the tests above lean on.
    assert ready.application.declarations == {READY_KEY: True}
