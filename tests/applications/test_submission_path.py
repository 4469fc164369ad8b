"""The booking path: the slow work runs before the cohort lock, the lock is held for a few
queries, and what was prepared outside it is checked again under it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application, RuleKind
from applications.models import ApplicationState as S
from applications.services import submission
from applications.services.drafts import application_section_save
from applications.services.submission import application_submit
from programmes.models import AdmissionMode, Cohort
from tests import factories
from tests.queries import session_reads

pytestmark = pytest.mark.django_db


def _first_come(ready: Any, *, full: bool = False, waiting: int = 0) -> Application:
    programme = ready.cohort.programme
    programme.admission_mode = AdmissionMode.FIRST_COME
    programme.save()
    cohort = ready.cohort
    for n in range(waiting):
        factories.ApplicationFactory(
            cohort=cohort,
            state=S.WAITLISTED,
            submitted_at=timezone.now() - dt.timedelta(hours=n + 1),
            waitlisted_at=timezone.now() - dt.timedelta(hours=n + 1),
        )
    if full:
        Cohort.objects.filter(pk=cohort.pk).update(places_taken=cohort.capacity)
    return Application.objects.get(pk=ready.application.pk)


def _locked_section(queries: list[dict[str, Any]]) -> list[str]:
    """The statements from the first row lock to the end of its transaction."""
    sql = [query["sql"] for query in queries]
    start = next(i for i, text in enumerate(sql) if "FOR UPDATE" in text)
    end = next(i for i, text in enumerate(sql) if i > start and text.startswith("RELEASE"))
    return sql[start:end]


# Outside the lock: the application with its cohort, programme, applicant and profile;
# the rules; the career history (documents only when a rule asks for one). Then a
# savepoint, the cohort lock, the application's lock (which also asks whether anyone else
# has the new reference), the one-place-per-programme check, the writes (places counter
# when booking, the application, its events, its emails), release.
BOOKING_QUERIES = 3 + 1 + 2 + 1 + 4 + 1
# Queueing writes no counter but counts the people ahead, for the email.
QUEUEING_QUERIES = BOOKING_QUERIES


@pytest.mark.parametrize("waiting", [0, 40])
def test_booking_a_free_place_costs_twelve_queries_however_long_the_queue(
    ready: Any, waiting: int, django_assert_num_queries: Any
) -> None:
    application = _first_come(ready, waiting=waiting)

    with django_assert_num_queries(BOOKING_QUERIES):
        booked = application_submit(application=application, by=ready.applicant)

    assert booked.state == S.ENROLLED


@pytest.mark.parametrize("waiting", [3, 60])
def test_joining_the_queue_costs_twelve_queries_however_long_the_queue(
    ready: Any, waiting: int, django_assert_num_queries: Any
) -> None:
    application = _first_come(ready, full=True, waiting=waiting)

    with django_assert_num_queries(QUEUEING_QUERIES):
        queued = application_submit(application=application, by=ready.applicant)

    assert queued.state == S.WAITLISTED


def _asking_for_a_cv(ready: Any, *, uploaded: str) -> Application:
    """A first-come programme whose rules ask for a CV; the applicant uploaded `uploaded`."""
    application = _first_come(ready)
    factories.EligibilityRuleFactory(
        programme=ready.cohort.programme,
        kind=RuleKind.REQUIRED_DOCUMENT,
        params={"document_kind": "cv"},
        message="A CV",
    )
    factories.SupportingDocumentFactory(application=application, kind=uploaded)
    return application


def test_a_programme_that_asks_for_a_document_costs_one_query_more_and_reads_it(
    ready: Any, django_assert_num_queries: Any
) -> None:
    application = _asking_for_a_cv(ready, uploaded="cv")

    with django_assert_num_queries(BOOKING_QUERIES + 1):
        booked = application_submit(application=application, by=ready.applicant)

    assert booked.state == S.ENROLLED
    document_rules = [r for r in booked.eligibility_results if r["kind"] == "required_document"]
    assert [r["outcome"] for r in document_rules] == ["pass"]


def test_a_programme_that_asks_for_a_document_refuses_a_submission_without_it(
    ready: Any,
) -> None:
    application = _asking_for_a_cv(ready, uploaded="other")

    with pytest.raises(submission.ApplicationIncomplete, match="Supporting documents"):
        application_submit(application=application, by=ready.applicant)

    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_a_reference_someone_else_drew_first_is_drawn_again_under_the_lock(
    ready: Any, monkeypatch: Any
) -> None:
    application = _first_come(ready)
    other = factories.ApplicationFactory(state=S.SUBMITTED, reference="LP-AAAAAA")
    draws = iter(["LP-AAAAAA", "LP-AAAAAA", "LP-DDDDDD"])
    monkeypatch.setattr(submission, "reference_draw", lambda: next(draws))

    submitted = application_submit(application=application, by=ready.applicant)

    assert submitted.reference == "LP-DDDDDD"
    assert Application.objects.get(pk=application.pk).reference == submitted.reference
    assert Application.objects.get(pk=other.pk).reference == "LP-AAAAAA"


def test_a_reference_the_application_already_had_is_kept(ready: Any) -> None:
    application = _first_come(ready)
    Application.objects.filter(pk=application.pk).update(reference="LP-CCCCCC")

    submitted = application_submit(application=application, by=ready.applicant)

    assert submitted.reference == "LP-CCCCCC"


def test_someone_else_cannot_submit_the_application_and_nothing_changes(ready: Any) -> None:
    application = _first_come(ready)
    stranger = factories.UserFactory()

    with pytest.raises(Application.DoesNotExist):
        application_submit(application=application, by=stranger)

    after = Application.objects.get(pk=application.pk)
    assert after.state == S.DRAFT
    assert after.submitted_at is None
    assert Cohort.objects.get(pk=ready.cohort.pk).places_taken == 0


def test_submitting_another_persons_application_by_url_is_not_found(
    ready: Any, client: Any
) -> None:
    application = _first_come(ready)
    stranger = factories.UserFactory(email_verified_at=timezone.now())
    client.force_login(stranger)

    response = client.post(f"/account/applications/{application.pk}/submit/")

    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_the_cohort_lock_is_held_for_the_decision_and_the_writes_only(ready: Any) -> None:
    application = _first_come(ready)

    with CaptureQueriesContext(connection) as captured:
        application_submit(application=application, by=ready.applicant)

    locked = _locked_section(captured.captured_queries)
    assert len(locked) == 7, locked
    assert not [text for text in locked if "eligibilityrule" in text or "careerentry" in text]


def test_screening_and_rendering_run_before_the_cohort_is_locked(
    ready: Any, monkeypatch: Any
) -> None:
    application = _first_come(ready)
    order: list[str] = []

    def recording(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            order.append(name)
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(submission, "evaluate", recording("screen", submission.evaluate))
    monkeypatch.setattr(submission, "email_render", recording("render", submission.email_render))
    monkeypatch.setattr(
        submission.place_emails, "render", recording("render", submission.place_emails.render)
    )
    monkeypatch.setattr(submission, "lock_cohort", recording("lock", submission.lock_cohort))

    application_submit(application=application, by=ready.applicant)

    assert order.index("lock") > max(i for i, name in enumerate(order) if name != "lock")
    assert order.count("lock") == 1


@pytest.mark.parametrize("full", [False, True])
def test_only_the_place_email_the_cohort_makes_likely_is_rendered(
    ready: Any, monkeypatch: Any, full: bool
) -> None:
    application = _first_come(ready, full=full)
    rendered: list[str] = []
    real_render = submission.place_emails.render

    def recording(application: Any, notice: str, **extra: Any) -> Any:
        rendered.append(notice)
        return real_render(application, notice, **extra)

    monkeypatch.setattr(submission.place_emails, "render", recording)

    application_submit(application=application, by=ready.applicant)

    assert rendered == ["waitlisted" if full else "enrolled"]


@pytest.mark.parametrize(
    ("looked", "was", "state", "subject"),
    [
        (False, True, S.WAITLISTED, "waiting list"),  # the last place went meanwhile
        (True, False, S.ENROLLED, "Your place is confirmed"),  # a place was freed meanwhile
    ],
)
def test_a_wrong_guess_about_the_places_still_sends_the_right_email(
    ready: Any,
    monkeypatch: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
    looked: bool,
    was: bool,
    state: str,
    subject: str,
) -> None:
    application = _first_come(ready, full=looked)
    real_prepare = submission._prepare
    capacity = ready.cohort.capacity

    def prepare_then_change(application_id: int, **kwargs: Any) -> Any:
        prepared = real_prepare(application_id, **kwargs)
        Cohort.objects.filter(pk=ready.cohort.pk).update(places_taken=capacity if was else 0)
        return prepared

    monkeypatch.setattr(submission, "_prepare", prepare_then_change)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = application_submit(application=application, by=ready.applicant)

    assert submitted.state == state
    place = [m for m in mailoutbox if m.subject != mailoutbox[0].subject]
    assert len(place) == 1, [m.subject for m in mailoutbox]
    assert subject in place[0].subject
    assert "\u2063" not in place[0].body


def test_the_waiting_list_email_names_the_position_worked_out_under_the_lock(
    ready: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = _first_come(ready, full=True, waiting=4)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=ready.applicant)

    waiting = [m for m in mailoutbox if "waiting list" in m.subject]
    assert len(waiting) == 1
    assert "You are number 5." in waiting[0].body
    assert "\u2063" not in waiting[0].body + waiting[0].alternatives[0][0]


def test_an_application_changed_after_it_was_prepared_is_prepared_again(
    ready: Any, monkeypatch: Any
) -> None:
    """Another tab unticks a section while the submission is being prepared: the locked
    row's version differs, so the submission looks again and refuses the incomplete one."""
    application = _first_come(ready)
    real_prepare = submission._prepare
    calls: list[int] = []

    def prepare_then_change(application_id: int, **kwargs: Any) -> Any:
        prepared = real_prepare(application_id, **kwargs)
        if not calls:
            application_section_save(application=application, section="eligibility", done=False)
        calls.append(application_id)
        return prepared

    monkeypatch.setattr(submission, "_prepare", prepare_then_change)

    with pytest.raises(submission.ApplicationIncomplete):
        application_submit(application=application, by=ready.applicant)

    assert len(calls) == 1  # the second preparation refused it
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert Cohort.objects.get(pk=ready.cohort.pk).places_taken == 0


def test_deleting_a_document_changes_the_applications_version(ready: Any) -> None:
    """So a submission prepared before the deletion is prepared again under the lock."""
    from applications.services.documents import document_delete

    document = factories.SupportingDocumentFactory(application=ready.application)
    before = Application.objects.get(pk=ready.application.pk).updated_at

    document_delete(document=document)

    assert Application.objects.get(pk=ready.application.pk).updated_at > before


@pytest.mark.parametrize("waiting", [2, 40])
def test_the_submit_request_reads_the_session_user_and_application_once_each(
    ready: Any, client: Any, waiting: int, django_assert_num_queries: Any
) -> None:
    application = _first_come(ready, full=True, waiting=waiting)
    client.force_login(ready.applicant)

    # The session (unless Redis keeps it), the user, then the service, which reads the
    # application only if it is theirs.
    with django_assert_num_queries(session_reads() + 1 + QUEUEING_QUERIES):
        response = client.post(f"/account/applications/{application.pk}/submit/")

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == S.WAITLISTED
