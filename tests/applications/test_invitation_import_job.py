"""The background job behind a CSV of invitations: once per person, resumable, never crashing.

Most tests call the service or the task in-process; the last one runs a real
Celery worker over the real Redis broker on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from accounts.models import User
from applications.models import Application, ApplicationEvent, InvitationImport
from applications.services import invitations
from applications.services.invitations import imports as import_service
from applications.services.places.errors import COHORT_FULL, OFFERS_CLOSED
from applications.tasks import invitation_import_run_task, invitation_imports_sweep_task
from portal.celery import app as celery_app
from programmes.models import AdmissionMode, Cohort, ProgrammeTeamMember
from tests import factories
from tests.harness import celery_worker

Status = InvitationImport.Status


@pytest.fixture
def cohort(db) -> Cohort:  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory(
        title="Upon: new directors", admission_mode=AdmissionMode.INVITATION
    )
    return factories.CohortFactory(programme=programme, name="Spring", capacity=10)


@pytest.fixture
def manager(cohort: Cohort) -> User:
    user = factories.UserFactory(email="team@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    return user


def _people(count: int) -> list[dict[str, str]]:
    return [
        {"name": f"Person {n}", "email": f"p{n}@example.org", "local_authority": "Leeds"}
        for n in range(count)
    ]


def _confirmed(cohort: Cohort, manager: User, count: int) -> InvitationImport:
    """A confirmed import of `count` people; its task is not run (the test runs it)."""
    job = invitations.invitation_import_create(
        cohort=cohort, rows=_people(count), file_name="people.csv", by=manager
    )
    assert job.total == count
    return invitations.invitation_import_confirm(invitation_import=job, by=manager)


def _applications_per_person() -> Counter[str]:
    return Counter(Application.objects.values_list("applicant__email", flat=True))


def _offers_per_person() -> Counter[str]:
    return Counter(
        ApplicationEvent.objects.filter(to_state="offered").values_list(
            "application__applicant__email", flat=True
        )
    )


def test_running_the_task_twice_gives_one_invitation_per_person(
    cohort: Cohort, manager: User
) -> None:
    job = _confirmed(cohort, manager, 8)

    invitation_import_run_task.apply(args=[job.pk])
    job.refresh_from_db()
    finished_at = job.finished_at
    invitation_import_run_task.apply(args=[job.pk])
    job.refresh_from_db()

    everyone = {f"p{n}@example.org" for n in range(8)}
    assert _applications_per_person() == Counter(everyone)
    assert _offers_per_person() == Counter(everyone)
    assert Email.objects.count() == 8
    assert (job.status, job.processed, len(job.report)) == (Status.DONE, 8, 8)
    assert job.finished_at == finished_at
    cohort.refresh_from_db()
    assert cohort.places_taken == 8


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_service, "BATCH_ROWS", 2)


@pytest.fixture
def runs_queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The import ids the services queue a run for, as they queue them."""
    queued: list[int] = []
    real = import_service.enqueue_on_commit

    def enqueue_on_commit(task_name: str, *args: Any) -> None:
        if task_name == invitations.RUN_TASK:
            queued.append(args[0])
        real(task_name, *args)

    monkeypatch.setattr(import_service, "enqueue_on_commit", enqueue_on_commit)
    return queued


@pytest.fixture
def breaks_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Make invitation_create raise `error` for the address in `email`, while set."""
    trap: dict[str, Any] = {"email": None, "error": RuntimeError("the disk is full")}
    real = import_service.invitation_create

    def invitation_create(**kwargs: Any) -> Any:
        if kwargs["email"] == trap["email"]:
            trap["email"] = trap.get("then")
            raise trap["error"]
        return real(**kwargs)

    monkeypatch.setattr(import_service, "invitation_create", invitation_create)
    yield trap


@pytest.mark.usefixtures("small_batches")
def test_a_crash_mid_way_leaves_it_failed_with_what_was_done_and_a_rerun_resumes(
    cohort: Cohort, manager: User, breaks_on: dict[str, Any]
) -> None:
    job = _confirmed(cohort, manager, 5)
    breaks_on["email"] = "p3@example.org"  # the second row of the second batch

    with pytest.raises(RuntimeError):
        invitations.invitation_import_run(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.finished_at is not None
    # The first batch was committed and recorded; the broken batch left nothing behind.
    assert job.processed == 2
    assert [entry["email"] for entry in job.report] == ["p0@example.org", "p1@example.org"]
    assert set(_applications_per_person()) == {"p0@example.org", "p1@example.org"}
    assert not User.objects.filter(email="p2@example.org").exists()
    assert Email.objects.count() == 2

    invitations.invitation_import_run(import_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.processed) == (Status.DONE, 5)
    assert [entry["line"] for entry in job.report] == [2, 3, 4, 5, 6]
    assert all(entry["outcome"] == invitations.INVITED for entry in job.report)
    everyone = Counter(f"p{n}@example.org" for n in range(5))
    assert _applications_per_person() == everyone
    assert _offers_per_person() == everyone
    assert Email.objects.count() == 5


@pytest.mark.usefixtures("small_batches")
def test_the_task_logs_an_unexpected_error_and_leaves_the_import_failed(
    cohort: Cohort, manager: User, breaks_on: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    job = _confirmed(cohort, manager, 3)
    breaks_on["email"] = "p2@example.org"

    invitation_import_run_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert (job.status, job.processed) == (Status.FAILED, 2)
    assert f"Invitation import {job.pk} failed" in caplog.text


@pytest.mark.usefixtures("small_batches")
def test_a_lock_timeout_is_retried_and_the_retry_resumes_after_the_rows_done(
    cohort: Cohort, manager: User, breaks_on: dict[str, Any]
) -> None:
    job = _confirmed(cohort, manager, 4)
    breaks_on.update(email="p2@example.org", error=OperationalError("lock timeout"))

    # throw=False, as a worker does: the retry is then run (eagerly) rather than raised.
    result = invitation_import_run_task.apply(args=[job.pk], throw=False)

    assert result.successful()

    job.refresh_from_db()
    assert (job.status, job.processed) == (Status.DONE, 4)
    assert _applications_per_person() == Counter(f"p{n}@example.org" for n in range(4))


def test_a_row_that_can_no_longer_be_invited_is_reported_and_the_job_carries_on(
    cohort: Cohort, manager: User
) -> None:
    job = _confirmed(cohort, manager, 4)
    # Between the confirmation and the job, the team cuts the cohort to two places.
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)

    invitations.invitation_import_run(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert [(e["email"], e["outcome"], e["why"]) for e in job.report] == [
        ("p0@example.org", invitations.INVITED, ""),
        ("p1@example.org", invitations.INVITED, ""),
        ("p2@example.org", invitations.NOT_INVITED, str(COHORT_FULL)),
        ("p3@example.org", invitations.NOT_INVITED, str(COHORT_FULL)),
    ]
    # A row not invited leaves no account behind.
    assert not User.objects.filter(email__in=["p2@example.org", "p3@example.org"]).exists()
    cohort.refresh_from_db()
    assert cohort.places_taken == 2


@pytest.mark.parametrize("change", ["offers closed", "cancelled"])
def test_rows_are_reported_not_invited_when_the_cohort_changes_after_confirming(
    cohort: Cohort, manager: User, change: str
) -> None:
    job = _confirmed(cohort, manager, 2)
    if change == "offers closed":
        Cohort.objects.filter(pk=cohort.pk).update(
            offer_cutoff_at=timezone.now() - dt.timedelta(minutes=1)
        )
        reason = str(OFFERS_CLOSED)
    else:
        Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now())
        reason = str(invitations.COHORT_CANCELLED)

    invitations.invitation_import_run(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert [(e["outcome"], e["why"]) for e in job.report] == [(invitations.NOT_INVITED, reason)] * 2
    assert not Application.objects.exists()


@pytest.mark.usefixtures("small_batches")
def test_a_run_out_of_time_hands_on_to_a_fresh_task_that_finishes(
    cohort: Cohort, manager: User, runs_queued: list[int], django_capture_on_commit_callbacks
) -> None:
    job = _confirmed(cohort, manager, 5)
    runs_queued.clear()  # the confirmation's own

    with django_capture_on_commit_callbacks() as callbacks:
        invitations.invitation_import_run(import_id=job.pk, time_budget=0)
    job.refresh_from_db()

    assert (job.status, job.processed) == (Status.QUEUED, 2)
    assert runs_queued == [job.pk]
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the fresh task runs eagerly, and the emails are sent
    job.refresh_from_db()
    assert (job.status, job.processed) == (Status.DONE, 5)
    assert _applications_per_person() == Counter(f"p{n}@example.org" for n in range(5))


def test_previews_and_discarded_imports_are_never_run(cohort: Cohort, manager: User) -> None:
    preview = invitations.invitation_import_create(
        cohort=cohort, rows=_people(1), file_name="a.csv", by=manager
    )
    discarded = invitations.invitation_import_create(
        cohort=cohort, rows=_people(1), file_name="b.csv", by=manager
    )
    invitations.invitation_import_discard(invitation_import=discarded, by=manager)

    for job in (preview, discarded):
        assert invitations.invitation_import_run(import_id=job.pk) is None
        invitation_import_run_task.apply(args=[job.pk])

    assert not Application.objects.exists()
    assert InvitationImport.objects.get(pk=preview.pk).status == Status.PREVIEW
    assert InvitationImport.objects.get(pk=discarded.pk).status == Status.DISCARDED


def test_the_sweep_queues_again_only_imports_left_waiting(
    cohort: Cohort, manager: User, runs_queued: list[int], django_capture_on_commit_callbacks
) -> None:
    stale = _confirmed(cohort, manager, 1)
    fresh = invitations.invitation_import_create(
        cohort=cohort,
        rows=[{"name": "Fay Fox", "email": "fay@example.org"}],
        file_name="",
        by=manager,
    )
    invitations.invitation_import_confirm(invitation_import=fresh, by=manager)
    long_ago = timezone.now() - import_service.REQUEUE_AFTER - dt.timedelta(seconds=1)
    InvitationImport.objects.filter(pk=stale.pk).update(confirmed_at=long_ago)

    runs_queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        swept = invitation_imports_sweep_task.apply().get()

    assert swept == 1 and runs_queued == [stale.pk]
    assert InvitationImport.objects.get(pk=stale.pk).status == Status.DONE
    assert InvitationImport.objects.get(pk=fresh.pk).status == Status.QUEUED
    assert invitations.invitation_imports_sweep() == 0


def test_invitation_create_is_idempotent_per_person_and_cohort(
    cohort: Cohort, manager: User
) -> None:
    first, created = invitations.invitation_create(
        cohort=cohort, full_name="Ann Able", email="ann@example.org",
        local_authority=None, appointed_on=None, by=manager,
    )  # fmt: skip
    again, created_again = invitations.invitation_create(
        cohort=cohort, full_name="Ann Able", email="ANN@example.org",
        local_authority=None, appointed_on=None, by=manager,
    )  # fmt: skip

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Application.objects.count() == 1 and Email.objects.count() == 1


# --- A real worker on the real broker ---------------------------------------------------


def _wait(condition, timeout: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_invites_everyone_in_an_uploaded_and_confirmed_file() -> None:
    celery_app.conf.task_always_eager = False
    programme = factories.ProgrammeFactory(admission_mode=AdmissionMode.INVITATION)
    cohort = factories.CohortFactory(programme=programme, capacity=30)
    manager = factories.UserFactory(email="worker-team@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=manager, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    factories.LocalAuthorityFactory(name="Testshire")
    client = Client()
    client.force_login(manager)
    body = "name,email,local_authority,appointment_date\r\n" + "".join(
        f"Person {n},person{n}@example.org,Testshire,2024-04-01\r\n" for n in range(25)
    )
    upload = SimpleUploadedFile("people.csv", body.encode(), content_type="text/csv")

    with celery_worker() as worker:
        response = client.post(reverse("manage:invite_import", args=[cohort.pk]), {"file": upload})
        assert response.status_code == 302, response.content.decode()
        job = InvitationImport.objects.get()
        assert job.status == Status.PREVIEW and job.total == 25
        confirmed = client.post(reverse("manage:invite_import_confirm", args=[job.pk]))
        assert confirmed.status_code == 302

        page_url = reverse("manage:invite_import_preview", args=[job.pk])
        assert _wait(lambda: InvitationImport.objects.get(pk=job.pk).status == Status.DONE), (
            worker.log()
        )
        assert "applications.tasks.invitation_import_run_task" in worker.log()

    job.refresh_from_db()
    assert (job.processed, job.finished_at is not None) == (25, True)
    assert _applications_per_person() == Counter(f"person{n}@example.org" for n in range(25))
    assert Email.objects.count() == 25
    page = client.get(page_url).content.decode()
    assert re.search(r"Finished: 25 people invited, 0 people not invited\.", page)
