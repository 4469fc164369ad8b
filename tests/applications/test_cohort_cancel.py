"""Cancelling a cohort, and every path refusing a cancelled one.

Cancelling withdraws everyone with a live application (with the reason), frees
every place without handing one on, and tells each person once. After that the
locking helper refuses the cohort to every places service and to submission,
whoever calls them; each test below asserts both the refusal and that nothing
changed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application, ApplicationEvent, InvitationImport
from applications.models import ApplicationState as S
from applications.services import invitations, places
from applications.services.drafts import application_start
from applications.services.invitations import invitation_create, invitation_import_create
from applications.services.places.cancel import CANCELLED_REASON
from applications.services.submission import application_submit
from applications.services.withdrawal import application_withdraw
from console.services import DECISION_ELIGIBLE, screening_decide
from programmes.models import COHORT_CANCELLED, Cohort, CohortStatus
from programmes.selectors import cohort_availability
from registers.models import CohortSession
from registers.services import RegisterError, register_record, session_create
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "The provider can no longer run the residential weekends."


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return factories.UserFactory(email="team@example.org", full_name="Tess Team")


def _cohort(mode: str = "selective", **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("capacity", 5)
    return factories.CohortFactory(programme__admission_mode=mode, **kwargs)


def _app(cohort, state=S.ELIGIBLE, **kwargs):  # type: ignore[no-untyped-def]
    """An application in `state`, with the cohort's counter kept true."""
    if state == S.WAITLISTED:
        kwargs.setdefault("waitlisted_at", timezone.now())
    if state == S.OFFERED:
        kwargs.setdefault("offered_at", timezone.now())
        kwargs.setdefault("offer_expires_at", timezone.now() + dt.timedelta(days=14))
    application = factories.ApplicationFactory(cohort=cohort, state=state, **kwargs)
    if state in HOLDS_A_PLACE:
        Cohort.objects.filter(pk=cohort.pk).update(places_taken=cohort.places_taken + 1)
        cohort.refresh_from_db()
    return application


def _snapshot(cohort):  # type: ignore[no-untyped-def]
    """What a refused request must leave exactly as it was."""
    return (
        Cohort.objects.values_list(
            "name", "capacity", "places_taken", "starts_on", "cancelled_at", "updated_at"
        ).get(pk=cohort.pk),
        sorted(Application.objects.values_list("pk", "cohort_id", "state")),
        ApplicationEvent.objects.count(),
        Email.objects.count(),
        CohortSession.objects.count(),
        LogEntry.objects.count(),
    )


def _cancelled(mode: str = "selective", **kwargs):  # type: ignore[no-untyped-def]
    """A cohort cancelled through the service, with nobody left on it."""
    cohort = _cohort(mode, **kwargs)
    places.cohort_cancel(cohort=cohort, reason=REASON, by=factories.UserFactory())
    return Cohort.objects.select_related("programme").get(pk=cohort.pk)


# --- Cancelling -----------------------------------------------------------------


def test_cancelling_withdraws_everyone_live_frees_every_place_and_records_why(staff) -> None:
    cohort = _cohort(capacity=3)
    enrolled = _app(cohort, S.ENROLLED)
    offered = _app(cohort, S.OFFERED)
    waiting = _app(cohort, S.WAITLISTED)
    screening = [_app(cohort, state) for state in (S.SUBMITTED, S.NEEDS_REVIEW, S.INELIGIBLE)]
    draft = _app(cohort, S.DRAFT)
    rejected = _app(cohort, S.REJECTED)

    result = places.cohort_cancel(cohort=cohort, reason=f"  {REASON} ", by=staff)

    assert result.told == 6
    cohort.refresh_from_db()
    assert cohort.is_cancelled and cohort.cancellation_reason == REASON
    assert cohort.places_taken == 0
    for application in [enrolled, offered, waiting, *screening]:
        application.refresh_from_db()
        assert application.state == S.WITHDRAWN
        event = application.events.latest("id")
        assert (event.from_state, event.to_state, event.actor) != (S.WITHDRAWN, None, None)
        assert event.to_state == S.WITHDRAWN and event.actor == staff
        assert event.reason == CANCELLED_REASON.format(reason=REASON)
    draft.refresh_from_db()
    rejected.refresh_from_db()
    assert (draft.state, rejected.state) == (S.DRAFT, S.REJECTED)
    change = LogEntry.objects.get_for_object(cohort).latest("id")
    assert change.actor == staff
    assert set(change.changes_dict) == {"cancelled_at", "cancellation_reason"}


def test_nobody_waiting_is_offered_a_place_of_a_cancelled_cohort(staff) -> None:
    cohort = _cohort(capacity=1)
    _app(cohort, S.OFFERED)
    first, second = _app(cohort, S.WAITLISTED), _app(cohort, S.WAITLISTED)

    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)

    for application in (first, second):
        application.refresh_from_db()
        assert application.state == S.WITHDRAWN
        assert not application.events.filter(to_state=S.OFFERED).exists()
    assert Cohort.objects.get(pk=cohort.pk).places_taken == 0


def test_a_first_come_cohort_hands_no_place_on_either(staff) -> None:
    cohort = _cohort("first_come", capacity=1)
    _app(cohort, S.ENROLLED)
    waiting = _app(cohort, S.WAITLISTED)

    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)

    waiting.refresh_from_db()
    assert waiting.state == S.WITHDRAWN
    assert not waiting.events.filter(to_state=S.ENROLLED).exists()


def test_each_person_gets_one_email_with_the_reason_and_other_dates(staff) -> None:
    cohort = _cohort(capacity=3, name="Spring 2027")
    cohort.programme.contact_email = "team@programme.example"
    cohort.programme.save()
    factories.CohortFactory(programme=cohort.programme, name="Autumn 2027")
    people = [_app(cohort, state) for state in (S.ENROLLED, S.OFFERED, S.WAITLISTED, S.SUBMITTED)]
    _app(cohort, S.DRAFT)
    Email.objects.all().delete()

    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)

    emails = list(Email.objects.order_by("id"))
    assert sorted(e.to[0] for e in emails) == sorted(a.applicant.email for a in people)
    for email in emails:
        assert email.subject.startswith("Cancelled: ")
        assert REASON in email.message
        assert "Autumn 2027" in email.message  # another cohort they could apply to
        assert "future dates" in email.message
        assert "team@programme.example" in email.message
        assert "&#x27;" not in email.message  # plain text, not HTML-escaped
    texts = {e.to[0]: e.message for e in emails}
    assert "Your place on it has been cancelled" in texts[people[0].applicant.email]
    assert "offer of a place you had" in texts[people[1].applicant.email]
    assert "waiting list has closed" in texts[people[2].applicant.email]
    assert "will not be considered" in texts[people[3].applicant.email]


def test_with_no_other_dates_the_email_says_so_and_offers_future_dates(staff) -> None:
    cohort = _cohort()
    _app(cohort, S.SUBMITTED)
    Email.objects.all().delete()

    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)

    (email,) = Email.objects.all()
    assert "no other dates open yet" in email.message
    assert f"{cohort.programme.get_absolute_url()}#future-dates" in email.message


def test_a_reason_is_required(staff) -> None:
    cohort = _cohort()
    _app(cohort, S.ENROLLED)
    before = _snapshot(cohort)
    with pytest.raises(places.ReasonNeeded):
        places.cohort_cancel(cohort=cohort, reason="   ", by=staff)
    assert _snapshot(cohort) == before


def test_cancelling_twice_is_refused_and_tells_nobody_again(staff) -> None:
    cohort = _cohort()
    _app(cohort, S.ENROLLED)
    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)
    before = _snapshot(cohort)
    with pytest.raises(places.CohortCancelled, match=str(COHORT_CANCELLED)):
        places.cohort_cancel(cohort=cohort, reason="Again", by=staff)
    assert _snapshot(cohort) == before
    assert Cohort.objects.get(pk=cohort.pk).cancellation_reason == REASON


@pytest.mark.parametrize("mark", [S.COMPLETED, S.DID_NOT_COMPLETE])
def test_a_cohort_with_attendance_recorded_cannot_be_cancelled(staff, mark) -> None:
    today = timezone.localdate()
    cohort = _cohort(starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=5))
    _app(cohort, mark)
    _app(cohort, S.ENROLLED)
    before = _snapshot(cohort)
    with pytest.raises(places.CancelRefused, match=str(places.COHORT_FINISHED)):
        places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)
    assert _snapshot(cohort) == before


def test_a_cohort_past_its_last_day_cannot_be_cancelled(staff) -> None:
    today = timezone.localdate()
    cohort = _cohort(starts_on=today - dt.timedelta(days=30), ends_on=today - dt.timedelta(days=1))
    _app(cohort, S.ENROLLED)
    before = _snapshot(cohort)
    with pytest.raises(places.CancelRefused):
        places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)
    assert _snapshot(cohort) == before


def test_a_running_cohort_can_be_cancelled_and_its_register_stays(staff) -> None:
    today = timezone.localdate()
    cohort = _cohort(starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=60))
    enrolled = _app(cohort, S.ENROLLED)
    start = timezone.now() - dt.timedelta(days=2)
    session = CohortSession.objects.create(
        cohort=cohort, title="Module 1", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    register_record(session=session, marks={enrolled.pk: "present"}, by=staff)

    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)

    enrolled.refresh_from_db()
    assert enrolled.state == S.WITHDRAWN
    assert session.attendance.get().application_id == enrolled.pk  # the record is kept
    email = Email.objects.filter(to=[enrolled.applicant.email]).latest("id")
    assert "which started on" in email.message


def test_the_audience_counts_who_will_be_told(staff) -> None:
    cohort = _cohort(capacity=5)
    for state in (S.ENROLLED, S.ENROLLED, S.OFFERED, S.WAITLISTED, S.SUBMITTED, S.ELIGIBLE):
        _app(cohort, state)
    _app(cohort, S.DRAFT)
    _app(cohort, S.DECLINED)

    audience = places.cohort_cancel_audience(cohort=cohort)

    assert (audience.holding, audience.offered, audience.waiting) == (2, 1, 1)
    assert (audience.screening, audience.drafts, audience.told) == (2, 1, 6)


# --- Every path refuses a cancelled cohort -------------------------------------------


def _refused(cohort, action) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(cohort)
    with pytest.raises(places.CohortCancelled, match=str(COHORT_CANCELLED)):
        action()
    assert _snapshot(cohort) == before


def _mark_cancelled(cohort) -> Cohort:  # type: ignore[no-untyped-def]
    """Cancelled behind the service's back, leaving live applications on it: the guard
    must hold whatever state the rows are in."""
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now(), cancellation_reason="X")
    return Cohort.objects.select_related("programme").get(pk=cohort.pk)


def test_a_draft_on_a_cancelled_cohort_cannot_be_submitted(ready) -> None:
    cohort = _mark_cancelled(ready.cohort)
    _refused(cohort, lambda: application_submit(application=ready.application, by=ready.applicant))
    ready.application.refresh_from_db()
    assert ready.application.state == S.DRAFT


def test_nobody_can_start_an_application_to_a_cancelled_cohort(applicant) -> None:
    cohort = _cancelled()
    _refused(cohort, lambda: application_start(cohort=cohort, applicant=applicant))


def test_no_offer_can_be_made_on_a_cancelled_cohort(staff) -> None:
    cohort = _cohort()
    eligible = _app(cohort, S.ELIGIBLE)
    cohort = _mark_cancelled(cohort)
    _refused(cohort, lambda: places.application_offer(application=eligible, by=staff))
    _refused(
        cohort,
        lambda: places.applications_offer_bulk(
            cohort=cohort, application_ids=[eligible.pk], by=staff
        ),
    )


def test_an_offer_on_a_cancelled_cohort_cannot_be_accepted_or_declined(staff) -> None:
    cohort = _cohort()
    offered = _app(cohort, S.OFFERED)
    cohort = _mark_cancelled(cohort)
    _refused(cohort, lambda: places.offer_accept(application=offered, by=offered.applicant))
    _refused(cohort, lambda: places.offer_decline(application=offered, by=offered.applicant))


def test_the_waiting_list_of_a_cancelled_cohort_is_shut(staff) -> None:
    cohort = _cohort()
    eligible = _app(cohort, S.ELIGIBLE)
    waiting = _app(cohort, S.WAITLISTED)
    cohort = _mark_cancelled(cohort)
    _refused(cohort, lambda: places.waitlist_add(application=eligible, by=staff))
    _refused(cohort, lambda: places.waitlist_leave(application=waiting, by=None))
    _refused(
        cohort,
        lambda: places.waitlist_reorder(
            cohort=cohort, order=[waiting.pk], expected=[waiting.pk], by=staff
        ),
    )
    _refused(cohort, lambda: places.application_reject(application=waiting, by=staff, reason="X"))


def test_nobody_can_be_invited_to_a_cancelled_cohort(staff) -> None:
    cohort = _cancelled("invitation")
    _refused(
        cohort,
        lambda: invitation_create(
            cohort=cohort,
            full_name="Nia Newdirector",
            email="nia@example.org",
            local_authority=None,
            appointed_on=None,
            by=staff,
        ),
    )


def test_an_import_into_a_cancelled_cohort_is_refused_whole(staff) -> None:
    cohort = _cancelled("invitation")
    before = _snapshot(cohort)
    with pytest.raises(invitations.CohortCancelled):
        invitation_import_create(
            cohort=cohort,
            rows=[{"full_name": "Nia Newdirector", "email": "nia@example.org"}],
            file_name="people.csv",
            by=staff,
        )
    assert not InvitationImport.objects.exists()
    assert _snapshot(cohort) == before


def test_the_capacity_of_a_cancelled_cohort_cannot_change(staff) -> None:
    cohort = _cancelled()
    _refused(cohort, lambda: places.cohort_capacity_change(cohort=cohort, capacity=9, by=staff))


def test_nobody_can_be_moved_into_a_cancelled_cohort(staff) -> None:
    source = _cohort()
    target = factories.CohortFactory(programme=source.programme)
    enrolled = _app(source, S.ENROLLED)
    target = _mark_cancelled(target)
    before = _snapshot(source)
    with pytest.raises(places.CohortCancelled):
        places.application_transfer(application=enrolled, to_cohort=target, by=staff, reason="X")
    assert _snapshot(source) == before


def test_screening_attendance_and_the_team_undoing_are_refused(staff) -> None:
    cohort = _cohort()
    submitted = _app(cohort, S.SUBMITTED)
    enrolled = _app(cohort, S.ENROLLED)
    offered = _app(cohort, S.OFFERED)
    cohort = _mark_cancelled(cohort)
    _refused(
        cohort,
        lambda: screening_decide(
            application=submitted, decision=DECISION_ELIGIBLE, reason="Fine", by=staff
        ),
    )
    _refused(
        cohort, lambda: places.attendance_record(application=enrolled, completed=True, by=staff)
    )
    _refused(cohort, lambda: places.offer_rescind(application=offered, by=staff, reason="X"))
    _refused(cohort, lambda: places.enrolment_withdraw(application=enrolled, by=staff, reason="X"))
    _refused(cohort, lambda: application_withdraw(application=enrolled, by=enrolled.applicant))


def test_sessions_and_registers_of_a_cancelled_cohort_are_closed(staff) -> None:
    cohort = _cohort()
    start = timezone.now() - dt.timedelta(hours=3)
    session = CohortSession.objects.create(
        cohort=cohort, title="Module 1", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    cohort = _mark_cancelled(cohort)
    before = _snapshot(cohort)
    with pytest.raises(RegisterError, match=str(COHORT_CANCELLED)):
        session_create(
            cohort=cohort,
            title="Module 2",
            starts_at=timezone.now() + dt.timedelta(days=70),
            ends_at=timezone.now() + dt.timedelta(days=70, hours=2),
            online=True,
            venue="",
        )
    with pytest.raises(RegisterError, match=str(COHORT_CANCELLED)):
        register_record(session=session, marks={}, by=staff)
    assert _snapshot(cohort) == before


def test_the_periodic_jobs_pass_a_cancelled_cohort_by(staff) -> None:
    cohort = _cohort()
    offered = _app(cohort, S.OFFERED, offer_expires_at=timezone.now() - dt.timedelta(minutes=1))
    places.cohort_cancel(cohort=cohort, reason=REASON, by=staff)
    before = _snapshot(cohort)
    # An id the sweep read before the cancellation committed.
    assert places.offer_expire(application_id=offered.pk) is False
    assert places.offers_expire_due() == 0
    assert places.waiting_lists_close_due() == 0
    assert _snapshot(cohort) == before


# --- The pages people post from ------------------------------------------------------


def test_accepting_from_the_applicant_page_on_a_cancelled_cohort_changes_nothing(
    client, staff
) -> None:
    cohort = _cohort()
    offered = _app(cohort, S.OFFERED)
    cohort = _mark_cancelled(cohort)
    client.force_login(offered.applicant)
    before = _snapshot(cohort)
    response = client.post(reverse("applications:accept", args=[offered.pk]))
    assert response.status_code in (302, 409)
    assert _snapshot(cohort) == before


def test_offering_from_the_console_on_a_cancelled_cohort_changes_nothing(client, staff) -> None:
    cohort = _cohort()
    eligible = _app(cohort, S.ELIGIBLE)
    factories.ProgrammeTeamMemberFactory(user=staff, programme=cohort.programme)
    cohort = _mark_cancelled(cohort)
    client.force_login(staff)
    before = _snapshot(cohort)
    response = client.post(reverse("manage:offer", args=[eligible.pk]), follow=True)
    assert str(COHORT_CANCELLED) in response.content.decode()
    assert _snapshot(cohort) == before


# --- Where people look for places ---------------------------------------------------


def test_a_cancelled_cohort_shows_as_cancelled_with_no_places_left() -> None:
    cohort = _cancelled()
    annotated = cohort_availability(cohorts=Cohort.objects.filter(pk=cohort.pk)).get()
    assert annotated.status == CohortStatus.CANCELLED
    assert annotated.places_left == 0


def test_the_programme_page_says_cancelled_and_offers_no_apply_button(client) -> None:
    cohort = _cancelled(name="Spring 2027")
    response = client.get(cohort.programme.get_absolute_url())
    page = response.content.decode()
    assert 'data-status="cancelled"' in page
    assert "Cancelled" in page and "This cohort will not go ahead." in page
    assert f"/account/applications/new/{cohort.pk}/" not in page
    assert "EventCancelled" in page  # and search engines are told in the JSON-LD


def test_the_calendar_feed_marks_a_cancelled_cohort() -> None:
    from django.test import Client

    cohort = _cancelled()
    body = Client().get(reverse("programmes:cohorts_ics", args=[cohort.programme.slug])).content
    assert b"STATUS:CANCELLED" in body


def test_the_directory_does_not_count_a_cancelled_cohort_as_having_places(client) -> None:
    cohort = _cancelled(name="Only cohort", programme__title="Called off programme")
    still_running = _cohort(programme__title="Going ahead programme")
    response = client.get(reverse("programmes:list"), {"places": "on"})
    page = response.content.decode()
    assert still_running.programme.title in page
    assert cohort.programme.title not in page


def test_an_applicant_gets_a_clear_message_when_applying_to_a_cancelled_cohort(
    client, applicant
) -> None:
    cohort = _cancelled()
    client.force_login(applicant)
    before = _snapshot(cohort)
    shown = client.get(reverse("applications:new", args=[cohort.pk])).content.decode()
    assert "This cohort has been cancelled" in shown and "Start application" not in shown
    response = client.post(reverse("applications:new", args=[cohort.pk]), follow=True)
    assert str(COHORT_CANCELLED) in response.content.decode()
    assert _snapshot(cohort) == before


# --- Under real concurrency ------------------------------------------------------------


def _race(jobs) -> Counter[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(jobs))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(job) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            try:
                job()
                name = "ok"
            except Exception as error:  # counted and asserted on below
                name = type(error).__name__
            with lock:
                outcomes[name] += 1
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for future in [pool.submit(worker, job) for job in jobs]:
            future.result()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancel_racing_accepts_and_offers_leaves_nobody_on_a_cancelled_cohort() -> None:
    staff = factories.UserFactory()
    cohort = _cohort(capacity=10)
    offered = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(5)]
    for application in offered:
        places.application_offer(application=application, by=staff)
    hopefuls = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(5)]
    waiting = [factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE) for _ in range(3)]
    for application in waiting:
        places.waitlist_add(application=application, by=staff)

    jobs = [
        *[lambda a=a: places.offer_accept(application=a, by=a.applicant) for a in offered],
        *[lambda a=a: places.application_offer(application=a, by=staff) for a in hopefuls],
        lambda: places.cohort_cancel(cohort=cohort, reason=REASON, by=staff),
    ]
    outcomes = _race(jobs)

    # Whatever came first, only the refusal of a cancelled cohort: no deadlock, no other error.
    assert set(outcomes) <= {"ok", "CohortCancelled"}
    cohort = Cohort.objects.get(pk=cohort.pk)
    assert cohort.is_cancelled
    held = Application.objects.filter(cohort=cohort, state__in=HOLDS_A_PLACE).count()
    assert cohort.places_taken == held == 0
    # Everyone was live when the race began: whoever moved first, all end withdrawn.
    states = Counter(Application.objects.filter(cohort=cohort).values_list("state", flat=True))
    assert states == Counter({S.WITHDRAWN: 13})


def test_a_draft_on_a_cancelled_cohort_says_it_cannot_be_sent(client, ready) -> None:
    places.cohort_cancel(cohort=ready.cohort, reason=REASON, by=factories.UserFactory())
    client.force_login(ready.applicant)
    page = client.get(reverse("applications:detail", args=[ready.application.pk]))
    assert page.status_code == 200
    assert "data-cohort-cancelled" in page.content.decode()
    new = client.get(reverse("applications:new", args=[ready.cohort.pk]))
    assert new.status_code == 302  # they have a draft there: it is shown instead
