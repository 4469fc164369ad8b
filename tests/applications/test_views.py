"""The applicant's pages: start, sections, documents, submit, withdraw; only ever their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import uploads
from applications.forms import EMAIL_INVALID, STATEMENT_TOO_LONG
from applications.models import Application, ApplicationState, SupportingDocument
from tests import factories
from tests.queries import session_reads

from .conftest import READY_KEY
from .documents import EXE_BYTES, PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def test_start_page_then_start_creates_one_draft(client, applicant, open_cohort) -> None:
    client.force_login(applicant)
    url = reverse("applications:new", args=[open_cohort.pk])
    assert client.get(url).status_code == 200
    first = client.post(url)
    second = client.post(url)  # a double click
    application = Application.objects.get()
    assert first.url == second.url == reverse("applications:detail", args=[application.pk])
    assert application.state == ApplicationState.DRAFT


def test_cannot_start_when_applications_are_closed(client, applicant, open_cohort) -> None:
    open_cohort.applications_open_at = timezone.now() + dt.timedelta(days=3)
    open_cohort.applications_close_at = timezone.now() + dt.timedelta(days=9)
    open_cohort.save()
    client.force_login(applicant)
    response = client.post(reverse("applications:new", args=[open_cohort.pk]), follow=True)
    assert "Applications for this cohort are not open." in response.content.decode()
    assert not Application.objects.exists()


def test_cannot_apply_to_an_invitation_only_programme(client, applicant, open_cohort) -> None:
    open_cohort.programme.admission_mode = "invitation"
    open_cohort.programme.save()
    client.force_login(applicant)
    response = client.post(reverse("applications:new", args=[open_cohort.pk]), follow=True)
    assert "by invitation only" in response.content.decode()
    assert not Application.objects.exists()


def test_unverified_user_is_asked_to_verify_first(client, open_cohort) -> None:
    user = factories.UserFactory(email_verified_at=None)
    client.force_login(user)
    response = client.get(reverse("applications:new", args=[open_cohort.pk]))
    assert response.status_code == 302
    assert "verify" in response.url


def test_anonymous_visitor_is_sent_to_sign_in(client, open_cohort) -> None:
    response = client.get(reverse("applications:new", args=[open_cohort.pk]))
    assert response.status_code == 302 and "/account/login/" in response.url


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("applications:detail", "get", {}),
        ("applications:check", "get", {}),
        ("applications:submit", "post", {}),
        ("applications:withdraw", "get", {}),
        ("applications:withdraw", "post", {}),
        ("applications:section", "get", {"section": "statement"}),
        ("applications:section", "post", {"section": "statement"}),
        ("applications:document_upload", "post", {}),
    ],
)
def test_another_persons_application_is_not_found(client, ready, name, method, extra) -> None:
    intruder = factories.UserFactory()
    client.force_login(intruder)
    response = getattr(client, method)(
        reverse(name, kwargs={"pk": ready.application.pk, **extra}),
        {"supporting_statement": "mine now"},
    )
    assert response.status_code == 404
    ready.application.refresh_from_db()
    assert ready.application.state == ApplicationState.DRAFT
    assert ready.application.supporting_statement != "mine now"


def test_task_list_shows_progress(client, ready) -> None:
    ready.application.sections_done = ["personal", "career"]
    ready.application.save()
    client.force_login(ready.applicant)
    body = client.get(reverse("applications:detail", args=[ready.application.pk])).content.decode()
    assert "You have completed 2 of 6 sections." in body


def test_over_long_statement_is_refused_and_the_text_kept(client, ready) -> None:
    client.force_login(ready.applicant)
    text = "word " * 501
    response = client.post(
        reverse("applications:section", args=[ready.application.pk, "statement"]),
        {"supporting_statement": text},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert str(STATEMENT_TOO_LONG % {"count": 501, "limit": 500}) in body
    assert 'href="#id_supporting_statement"' in body  # the error summary links to the field
    assert "word word word" in body
    ready.application.refresh_from_db()
    assert ready.application.supporting_statement.startswith("I lead early help")


def test_statement_is_saved_as_a_draft(client, ready) -> None:
    ready.application.sections_done = []
    ready.application.save()
    client.force_login(ready.applicant)
    client.post(
        reverse("applications:section", args=[ready.application.pk, "statement"]),
        {"supporting_statement": "  I want to lead.  "},
    )
    ready.application.refresh_from_db()
    assert ready.application.supporting_statement == "I want to lead."
    assert ready.application.sections_done == ["statement"]


def test_eligibility_answers_are_saved(client, ready) -> None:
    client.force_login(ready.applicant)
    url = reverse("applications:section", args=[ready.application.pk, "eligibility"])
    page = client.get(url).content.decode()
    assert "I am ready to move into a director role within three years" in page
    client.post(url, {READY_KEY: "no"})
    ready.application.refresh_from_db()
    assert ready.application.declarations == {READY_KEY: False}


def test_unanswered_eligibility_question_shows_an_error(client, ready) -> None:
    client.force_login(ready.applicant)
    url = reverse("applications:section", args=[ready.application.pk, "eligibility"])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Answer yes or no." in response.content.decode()


def test_bad_endorser_email_is_refused_and_input_kept(client, ready) -> None:
    client.force_login(ready.applicant)
    response = client.post(
        reverse("applications:section", args=[ready.application.pk, "endorsement"]),
        {"endorser_name": "Jo Bloggs", "endorser_role": "Director", "endorser_email": "nope"},
    )
    body = response.content.decode()
    assert str(EMAIL_INVALID) in body
    assert 'value="Jo Bloggs"' in body


def test_unknown_section_is_not_found(client, ready) -> None:
    client.force_login(ready.applicant)
    url = reverse("applications:section", args=[ready.application.pk, "salary"])
    assert client.get(url).status_code == 404


def _upload(client, application, content: bytes, name: str = "cv.pdf"):
    return client.post(
        reverse("applications:document_upload", args=[application.pk]),
        {"kind": "cv", "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_a_real_pdf_is_stored_privately_and_served_only_to_its_owner(client, ready) -> None:
    client.force_login(ready.applicant)
    assert _upload(client, ready.application, PDF_BYTES).status_code == 302
    document = SupportingDocument.objects.get()
    assert document.content_type == uploads.PDF
    assert "cv" not in document.file.name  # stored under a random name
    url = reverse("applications:document_download", args=[ready.application.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith('attachment; filename="cv.pdf"')

    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404


def test_a_program_renamed_to_pdf_is_refused(client, ready) -> None:
    client.force_login(ready.applicant)
    response = _upload(client, ready.application, EXE_BYTES, "cv.pdf")
    assert response.status_code == 400
    assert str(uploads.WRONG_TYPE) in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_an_oversized_file_is_refused(client, ready) -> None:
    client.force_login(ready.applicant)
    big = PDF_BYTES + b"0" * uploads.MAX_DOCUMENT_BYTES
    response = _upload(client, ready.application, big)
    assert response.status_code == 400
    assert str(uploads.TOO_LARGE) in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_document_can_be_deleted_from_a_draft(client, ready) -> None:
    client.force_login(ready.applicant)
    _upload(client, ready.application, PDF_BYTES)
    document = SupportingDocument.objects.get()
    client.post(reverse("applications:document_delete", args=[ready.application.pk, document.pk]))
    assert not SupportingDocument.objects.exists()


def test_check_answers_then_submit_shows_the_outcome(
    client, ready, django_capture_on_commit_callbacks
) -> None:
    client.force_login(ready.applicant)
    check = client.get(reverse("applications:check", args=[ready.application.pk])).content.decode()
    assert "Check your answers before you submit" in check
    assert "Sam Patel" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:submit", args=[ready.application.pk]), follow=True
        )
    body = response.content.decode()
    assert "Application submitted" in body
    assert "Eligible" in body
    again = client.post(reverse("applications:submit", args=[ready.application.pk]), follow=True)
    assert "already submitted" in again.content.decode()


def test_submitted_application_cannot_be_edited(client, ready) -> None:
    ready.application.state = ApplicationState.ELIGIBLE
    ready.application.submitted_at = timezone.now()
    ready.application.save()
    client.force_login(ready.applicant)
    client.post(
        reverse("applications:section", args=[ready.application.pk, "statement"]),
        {"supporting_statement": "changed"},
    )
    ready.application.refresh_from_db()
    assert ready.application.supporting_statement != "changed"


def test_withdraw_asks_first_then_withdraws(client, ready) -> None:
    ready.application.state = ApplicationState.ELIGIBLE
    ready.application.submitted_at = timezone.now()
    ready.application.save()
    client.force_login(ready.applicant)
    url = reverse("applications:withdraw", args=[ready.application.pk])
    assert "Are you sure you want to withdraw?" in client.get(url).content.decode()
    client.post(url, {"reason": "Changed jobs"})
    ready.application.refresh_from_db()
    assert ready.application.state == ApplicationState.WITHDRAWN
    assert ready.application.events.get().reason == "Changed jobs"


def test_withdrawing_a_finished_application_is_refused_politely(client, ready) -> None:
    ready.application.state = ApplicationState.REJECTED
    ready.application.submitted_at = timezone.now()
    ready.application.save()
    client.force_login(ready.applicant)
    response = client.post(
        reverse("applications:withdraw", args=[ready.application.pk]), follow=True
    )
    assert response.status_code == 200
    assert "can no longer be withdrawn" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_application_list_uses_a_fixed_number_of_queries(
    client, applicant, django_assert_num_queries, count
) -> None:
    for _ in range(count):
        factories.ApplicationFactory(applicant=applicant)
    client.force_login(applicant)
    # session + user + applications with cohort and programme
    with django_assert_num_queries(session_reads() + 2):
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "section", ["personal", "career", "eligibility", "statement", "documents", "endorsement"]
)
def test_every_section_page_opens(client, ready, section) -> None:
    client.force_login(ready.applicant)
    response = client.get(reverse("applications:section", args=[ready.application.pk, section]))
    assert response.status_code == 200
    assert response.templates[0].name == f"applications/section_{section}.html"
