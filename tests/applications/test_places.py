"""Places: offers, acceptance, deadlines, the waiting list and handing freed places on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from post_office.models import Email

from applications.models import ApplicationEvent
from applications.models import ApplicationState as S
from applications.services import places
from applications.services.withdrawal import application_withdraw
from applications.tasks import offer_reminders_task, offers_expire_due_task
from applications.tokens import application_from_leave_token, waitlist_leave_token
from programmes.models import Cohort
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return factories.UserFactory(email="team@example.org")


@pytest.fixture
def cohort():
    return factories.CohortFactory(capacity=2, programme__admission_mode="selective")


def _app(cohort, state=S.ELIGIBLE, **kwargs):
    return factories.ApplicationFactory(cohort=cohort, state=state, **kwargs)


def _waiting(cohort, n, start=None):
    start = start or timezone.now() - dt.timedelta(days=10)
    return [
        _app(cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(hours=i)) for i in range(n)
    ]


def _queued() -> list[Email]:
    """Emails written to the outbox (delivery runs after commit, which these tests never reach)."""
    return list(Email.objects.order_by("id"))


def _taken(cohort) -> int:
    return Cohort.objects.get(pk=cohort.pk).places_taken


def test_offer_takes_a_place_and_sets_a_deadline(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    assert application.state == S.OFFERED
    expected = application.offered_at + dt.timedelta(days=cohort.offer_deadline_days)
    assert application.offer_expires_at == expected
    assert _taken(cohort) == 1


def test_offer_beyond_capacity_is_refused_and_changes_nothing(cohort, staff) -> None:
    for _ in range(2):
        places.application_offer(application=_app(cohort), by=staff)
    third = _app(cohort)
    with pytest.raises(places.CohortFull):
        places.application_offer(application=third, by=staff)
    third.refresh_from_db()
    assert third.state == S.ELIGIBLE and _taken(cohort) == 2


def test_the_database_refuses_more_places_than_capacity(cohort) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)


def test_bulk_offer_that_does_not_fit_offers_nobody(cohort, staff) -> None:
    chosen = [_app(cohort) for _ in range(3)]
    with pytest.raises(places.NotEnoughPlaces) as raised:
        places.applications_offer_bulk(
            cohort=cohort, application_ids=[a.pk for a in chosen], by=staff
        )
    assert "3 people but only 2 places" in str(raised.value)
    assert _taken(cohort) == 0
    assert not ApplicationEvent.objects.exists()


def test_bulk_offer_that_fits_offers_everyone(cohort, staff) -> None:
    chosen = [_app(cohort) for _ in range(2)]
    offered = places.applications_offer_bulk(
        cohort=cohort, application_ids=[a.pk for a in chosen], by=staff
    )
    assert {a.state for a in offered} == {S.OFFERED}
    assert _taken(cohort) == 2


def test_accepting_enrols_without_taking_a_second_place(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    places.offer_accept(application=application, by=application.applicant)
    application.refresh_from_db()
    assert application.state == S.ENROLLED
    assert _taken(cohort) == 1


def test_accept_after_the_deadline_is_refused_even_before_the_task_runs(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    waiting = _waiting(cohort, 1)[0]
    application.offer_expires_at = timezone.now() - dt.timedelta(seconds=1)
    application.save()

    with pytest.raises(places.OfferExpired):
        places.offer_accept(application=application, by=application.applicant)

    application.refresh_from_db()
    waiting.refresh_from_db()
    assert application.state == S.EXPIRED
    assert waiting.state == S.OFFERED  # the place went on at once
    assert _taken(cohort) == 1


def test_declining_hands_the_place_to_the_first_person_waiting(cohort, staff) -> None:
    places.application_offer(application=_app(cohort), by=staff)
    application = places.application_offer(application=_app(cohort), by=staff)
    first, second = _waiting(cohort, 2)
    places.offer_decline(application=application, by=application.applicant)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == S.OFFERED and second.state == S.WAITLISTED
    assert _taken(cohort) == 2
    subjects = [m.subject for m in _queued()]
    assert any("A place has come up for you" in s for s in subjects)


def test_waiting_list_order_respects_staff_priority_then_joining_time(cohort) -> None:
    early, late = _waiting(cohort, 2)
    assert [places.waitlist_position(a) for a in (early, late)] == [1, 2]
    late.waitlist_priority = 5
    late.save()
    assert [places.waitlist_position(a) for a in (early, late)] == [2, 1]


def test_expiry_task_expires_due_offers_once(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    waiting = _waiting(cohort, 1)[0]
    application.offer_expires_at = timezone.now() - dt.timedelta(minutes=1)
    application.save()

    assert offers_expire_due_task() == 1
    assert offers_expire_due_task() == 0

    application.refresh_from_db()
    waiting.refresh_from_db()
    assert application.state == S.EXPIRED and waiting.state == S.OFFERED
    assert ApplicationEvent.objects.filter(application=application, to_state=S.EXPIRED).count() == 1
    assert _taken(cohort) == 1


def test_offer_not_yet_due_is_left_alone(cohort, staff) -> None:
    places.application_offer(application=_app(cohort), by=staff)
    assert offers_expire_due_task() == 0


def test_reminder_is_sent_once_per_offer(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    application.offer_expires_at = timezone.now() + dt.timedelta(hours=20)
    application.save()
    Email.objects.all().delete()
    assert offer_reminders_task() == 1
    assert offer_reminders_task() == 0
    assert [m.subject for m in _queued()] == [f"Your offer ends soon: {cohort.programme.title}"]


def test_withdrawing_after_enrolment_hands_the_place_on_at_once(cohort, staff) -> None:
    application = places.application_offer(application=_app(cohort), by=staff)
    places.offer_accept(application=application, by=application.applicant)
    waiting = _waiting(cohort, 1)[0]
    application_withdraw(application=application, by=application.applicant)
    waiting.refresh_from_db()
    assert waiting.state == S.OFFERED
    assert _taken(cohort) == 1


def test_raising_capacity_offers_the_new_places_in_order(cohort, staff) -> None:
    for _ in range(2):
        places.application_offer(application=_app(cohort), by=staff)
    first, second, third = _waiting(cohort, 3)
    places.cohort_capacity_change(cohort=cohort, capacity=4, by=staff)
    states = [Cohort.objects.get(pk=cohort.pk).places_taken]
    for a in (first, second, third):
        a.refresh_from_db()
        states.append(a.state)
    assert states == [4, S.OFFERED, S.OFFERED, S.WAITLISTED]


def test_capacity_cannot_go_below_the_places_taken(cohort, staff) -> None:
    for _ in range(2):
        places.application_offer(application=_app(cohort), by=staff)
    with pytest.raises(places.CapacityTooLow):
        places.cohort_capacity_change(cohort=cohort, capacity=1, by=staff)
    assert Cohort.objects.get(pk=cohort.pk).capacity == 2


def test_no_offer_after_the_cohort_has_started(cohort, staff) -> None:
    cohort.starts_on = timezone.localdate()
    cohort.save()
    with pytest.raises(places.OffersClosed):
        places.application_offer(application=_app(cohort), by=staff)


def test_no_offer_after_the_cut_off(cohort, staff) -> None:
    cohort.offer_cutoff_at = timezone.now() - dt.timedelta(minutes=1)
    cohort.save()
    with pytest.raises(places.OffersClosed):
        places.application_offer(application=_app(cohort), by=staff)


def test_offer_deadline_never_passes_the_cut_off(cohort, staff) -> None:
    cohort.offer_cutoff_at = timezone.now() + dt.timedelta(days=2)
    cohort.save()
    application = places.application_offer(application=_app(cohort), by=staff)
    assert application.offer_expires_at == cohort.offer_cutoff_at


def test_waiting_list_closes_when_the_cohort_starts_and_people_are_told(cohort) -> None:
    waiting = _waiting(cohort, 2)
    assert places.waiting_lists_close_due() == 0
    cohort.starts_on = timezone.localdate()
    cohort.save()
    assert places.waiting_lists_close_due() == 2
    assert places.waiting_lists_close_due() == 0
    for application in waiting:
        application.refresh_from_db()
        assert application.state == S.REJECTED
    closing = [m for m in _queued() if "waiting list has closed" in m.subject]
    assert len(closing) == 2
    assert cohort.programme.get_absolute_url() in closing[0].message  # pointed to future dates


def test_person_already_holding_a_place_is_passed_over_and_not_counted(cohort, staff) -> None:
    other = factories.CohortFactory(programme=cohort.programme)
    first, second, third = _waiting(cohort, 3)
    factories.ApplicationFactory(cohort=other, applicant=first.applicant, state=S.ENROLLED)
    assert [places.waitlist_position(a) for a in (first, second, third)] == [None, 1, 2]
    places.cohort_capacity_change(cohort=cohort, capacity=3, by=staff)
    places.cohort_capacity_change(cohort=cohort, capacity=3, by=staff)
    for application in (first, second, third):
        application.refresh_from_db()
    # Three places free: the two in line are offered; the one holding a place elsewhere waits.
    assert (first.state, second.state, third.state) == (S.WAITLISTED, S.OFFERED, S.OFFERED)
    # Nothing is written about them on each hand-on: they are simply not in line now.
    assert not ApplicationEvent.objects.filter(application=first).exists()
    assert _taken(cohort) == 2


def test_reorder_with_stale_data_is_refused_and_changes_nothing(cohort, staff) -> None:
    a, b, c = _waiting(cohort, 3)
    seen = [a.pk, b.pk, c.pk]
    places.waitlist_reorder(cohort=cohort, order=[c.pk, a.pk, b.pk], expected=seen, by=staff)
    assert [places.waitlist_position(x) for x in (c, a, b)] == [1, 2, 3]
    with pytest.raises(places.StaleWaitingList):
        places.waitlist_reorder(cohort=cohort, order=[a.pk, b.pk, c.pk], expected=seen, by=staff)
    assert [places.waitlist_position(x) for x in (c, a, b)] == [1, 2, 3]


def test_rejecting_records_the_reason_and_tells_them(cohort, staff) -> None:
    application = places.application_reject(
        application=_app(cohort), by=staff, reason="Not enough strategic experience yet."
    )
    assert application.events.get().reason == "Not enough strategic experience yet."
    assert "Not enough strategic experience yet." in _queued()[-1].message


def test_attendance_marks_completion_once_the_cohort_has_started(staff) -> None:
    started = factories.CohortFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=3), programme__admission_mode="selective"
    )
    application = _app(started, S.ENROLLED)
    places.attendance_record(application=application, completed=True, by=staff)
    assert application.__class__.objects.get(pk=application.pk).state == S.COMPLETED
    with pytest.raises(places.AttendanceRefused):
        places.attendance_record(application=_app(started), completed=False, by=staff)


def test_first_come_books_while_places_last_then_queues_in_order() -> None:
    cohort = factories.CohortFactory(capacity=1, programme__admission_mode="first_come")
    first = _app(cohort)
    second = _app(cohort)
    with transaction.atomic():
        places.application_book_or_queue(cohort=cohort, application=first)
    with transaction.atomic():
        places.application_book_or_queue(cohort=cohort, application=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (S.ENROLLED, S.WAITLISTED)
    assert _taken(cohort) == 1
    application_withdraw(application=first, by=first.applicant)
    second.refresh_from_db()
    assert second.state == S.ENROLLED  # first-come: the freed place is booked, not offered


def test_waiting_list_email_has_a_working_one_click_leave_link(cohort, client) -> None:
    application = _app(cohort)
    places.waitlist_add(application=application, by=factories.UserFactory())
    message = _queued()[-1]
    found = re.search(r"/account/applications/waiting-list/leave/([^/\s]+)/", message.message)
    assert found is not None
    token = found.group(1)
    assert "Leave the waiting list" in message.html_message
    assert application_from_leave_token(token) == application
    assert application_from_leave_token(waitlist_leave_token(application)) == application
    assert application_from_leave_token(token + "x") is None

    url = f"/account/applications/waiting-list/leave/{token}/"
    assert client.get(url).status_code == 200
    application.refresh_from_db()
    assert application.state == S.WAITLISTED  # a GET (a mail scanner) changes nothing
    client.post(url)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
