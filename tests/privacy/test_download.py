"""Download your data: a ZIP of everything held, behind a password, for the owner only."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.forms import PASSWORD_WRONG
from privacy import tasks
from privacy.models import DataExport, PrivacyEvent
from privacy.services import exports
from privacy.views import EXPORT_QUEUED
from tests import factories
from tests.queries import session_reads

from .conftest import Person, signed_in

pytestmark = pytest.mark.django_db

REQUEST = reverse("privacy:export_request")


def _ask(person: Person, password: str, capture: Any) -> Any:
    """Ask for the data; the task runs once the request's transaction commits (eagerly)."""
    with capture(execute=True):
        response = person.client.post(REQUEST, {"password": password})
    assert response.status_code == 302
    return person.client.get(response["Location"])


def _zip(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_every_category_and_the_documents(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    response = _ask(person, password, django_capture_on_commit_callbacks)

    export = DataExport.objects.get()
    assert response.wsgi_request.path == reverse("privacy:export_detail", args=[export.pk])
    assert str(EXPORT_QUEUED) in response.content.decode()
    assert export.status == DataExport.Status.DONE
    download = reverse("privacy:export_download", args=[export.pk])
    assert download in response.content.decode()

    archive = _zip(person.client.get(download))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "nia.evans@example.org"
    assert data["account"]["full_name"] == "Nia Evans"
    assert data["profile"]["job_title"] == "Head of early help"
    assert [entry["organisation"] for entry in data["career_history"]] == ["Conwy"]
    [application] = data["applications"]
    assert application["answers"]["supporting_statement"] == "I lead early help in Conwy."
    assert application["answers"]["their_email"] == "sam.patel@example.org"
    assert application["details_at_submission"]["full_name"] == "Nia Evans"
    assert application["eligibility"]["rule_outcomes"][0]["reason"] == "Wales"
    assert [(h["from"], h["to"]) for h in application["history"]] == [("Submitted", "Eligible")]
    [document] = application["documents"]
    assert document["name"] == "my-cv.pdf"
    assert archive.read(document["file_in_this_download"]) == person.document.file.open().read()
    assert document["file_in_this_download"].startswith("documents/")
    assert [e["subject"] for e in data["emails_sent_to_you"]] == [
        "Application withdrawn: Earlier programme"
    ]
    assert [s["programme"] for s in data["future_dates_subscriptions"]] == ["Aspiring directors"]
    # The file is in private storage, never under MEDIA_ROOT or a URL.
    assert export.file.path.startswith(str(settings.PRIVATE_STORAGE_ROOT))
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018


def test_nothing_of_anyone_else_is_in_the_zip(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    other = factories.UserFactory(email="someone.else@example.org")
    factories.ApplicationFactory(applicant=other, supporting_statement="Not Nia's words")
    _ask(person, password, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    body = _zip(person.client.get(reverse("privacy:export_download", args=[export.pk])))
    assert b"someone.else" not in body.read("data.json")
    assert b"Not Nia's words" not in body.read("data.json")


def test_a_wrong_password_is_an_error_and_queues_nothing(
    person: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        response = person.client.post(REQUEST, {"password": "not-my-password"})
    assert response.status_code == 400
    assert str(PASSWORD_WRONG) in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert queued == []
    assert not DataExport.objects.exists()
    assert not PrivacyEvent.objects.exists()


def test_asking_twice_while_it_is_being_prepared_gives_the_same_download(
    person: Person, password: str
) -> None:
    first = exports.data_export_request(user=person.user)
    second = exports.data_export_request(user=person.user)
    assert first.pk == second.pk
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT_REQUESTED).count() == 1


def test_someone_else_gets_404_for_the_page_and_the_file(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(person, password, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    admin = factories.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    for intruder in (factories.UserFactory(email="other@example.org"), admin):
        client = signed_in(intruder)
        assert client.get(reverse("privacy:export_detail", args=[export.pk])).status_code == 404
        assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 404
    assert not PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT_DOWNLOADED).exists()


def test_an_expired_download_says_so_and_the_nightly_purge_deletes_the_file_once(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(person, password, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    path = export.file.path
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(1))

    response = person.client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 410
    assert "This download has expired" in response.content.decode()
    page = person.client.get(reverse("privacy:export_detail", args=[export.pk]))
    assert "This download has expired" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_exports_purge_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_exports_purge_task() == 0
    export.refresh_from_db()
    assert not export.file
    import os

    assert not os.path.exists(path)
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT_PURGED).count() == 1


def test_every_request_and_download_is_recorded(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(person, password, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    url = reverse("privacy:export_download", args=[export.pk])
    b"".join(person.client.get(url).streaming_content)
    b"".join(person.client.get(url).streaming_content)
    events = list(PrivacyEvent.objects.order_by("id").values_list("user_id", "kind", "export_id"))
    assert events == [
        (person.user.pk, PrivacyEvent.Kind.EXPORT_REQUESTED, export.pk),
        (person.user.pk, PrivacyEvent.Kind.EXPORT_READY, export.pk),
        (person.user.pk, PrivacyEvent.Kind.EXPORT_DOWNLOADED, export.pk),
        (person.user.pk, PrivacyEvent.Kind.EXPORT_DOWNLOADED, export.pk),
    ]
    assert all(e.created_at for e in PrivacyEvent.objects.all())


def test_the_progress_page_refreshes_itself_without_javascript(person: Person) -> None:
    export = DataExport.objects.create(user=person.user)
    page = person.client.get(reverse("privacy:export_detail", args=[export.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "being prepared" in page
    assert "Refresh this page" in page
    assert page.count("<h1") == 1


def test_a_download_not_ready_yet_is_refused_with_a_reason(person: Person) -> None:
    export = DataExport.objects.create(user=person.user)
    response = person.client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 409


def test_the_sweep_queues_a_lost_download_and_restarts_a_dead_build_once(
    person: Person, django_capture_on_commit_callbacks: Any
) -> None:
    lost = DataExport.objects.create(user=person.user)
    DataExport.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - exports.PENDING_REQUEUE_AFTER - dt.timedelta(seconds=1)
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    dead = DataExport.objects.create(
        user=factories.UserFactory(), status="running", attempts=1, heartbeat_at=long_ago
    )
    twice_dead = DataExport.objects.create(
        user=factories.UserFactory(), status="running", attempts=2, heartbeat_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_exports_sweep_task() == {"queued": 1, "restarted": 1, "failed": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_exports_sweep_task() == {"queued": 0, "restarted": 0, "failed": 0}
    statuses = dict(DataExport.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "done", dead.pk: "done", twice_dead.pk: "failed"}


def test_a_redelivered_build_task_builds_nothing_twice(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(person, password, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    name = export.file.name
    tasks.data_export_build_task(export.pk)
    export.refresh_from_db()
    assert export.file.name == name
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT_READY).count() == 1


@pytest.mark.parametrize("n", [3, 30])
def test_the_pages_take_a_constant_number_of_queries(
    person: Person, n: int, django_assert_num_queries: Any
) -> None:
    made = [
        DataExport.objects.create(
            user=person.user, status="done", expires_at=timezone.now() + dt.timedelta(days=1)
        )
        for _ in range(n)
    ]
    # Session, user, then the person's downloads.
    with django_assert_num_queries(session_reads() + 2):
        response = person.client.get(reverse("privacy:index"))
    assert response.status_code == 200
    with django_assert_num_queries(session_reads() + 2):
        response = person.client.get(reverse("privacy:export_detail", args=[made[0].pk]))
    assert response.status_code == 200
