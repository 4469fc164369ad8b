"""Equality answers in data rights: in the owner's download, in words; gone with the account."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from equality.models import EqualityAnswers
from privacy import tasks
from privacy.models import DataExport
from tests.equality.factories import MARKER, EqualityAnswersFactory

from .conftest import Person

pytestmark = pytest.mark.django_db


def _download(person: Person, password: str, capture: Any) -> dict[str, Any]:
    with capture(execute=True):
        response = person.client.post(reverse("privacy:export_request"), {"password": password})
    assert response.status_code == 302
    export = DataExport.objects.get(user=person.user)
    assert export.status == DataExport.Status.DONE
    body = person.client.get(reverse("privacy:export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(body.streaming_content)))
    return dict(json.loads(archive.read("data.json")))


def test_the_download_holds_the_answers_as_questions_and_answers_in_words(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    mine = EqualityAnswersFactory(user=person.user, sex="", age_band="prefer_not_to_say")
    EqualityAnswersFactory(ethnic_group_own_words="Someone else's words")
    data = _download(person, password, django_capture_on_commit_callbacks)
    held = data["equality_answers"]
    by_question = {entry["question"]: entry for entry in held["answers"]}
    assert by_question["What is your ethnic group?"] == {
        "question": "What is your ethnic group?",
        "answer": "Any other ethnic group",
        "in_your_own_words": mine.ethnic_group_own_words,
    }
    assert by_question["What is your religion or belief?"]["answer"] == (
        "Any other religion or belief"
    )
    assert by_question["What is your sex?"]["answer"] == "Not answered"
    assert by_question["How old are you?"]["answer"] == "Prefer not to say"
    assert by_question["Do you look after someone, unpaid?"]["answer"] == (
        "Yes, for both children and adults"
    )
    assert len(held["answers"]) == 9
    assert held["last_changed_at"].startswith(str(timezone.localdate().year))
    assert "Someone else's words" not in json.dumps(data)


def test_the_download_says_none_when_nothing_was_answered(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    EqualityAnswersFactory()
    data = _download(person, password, django_capture_on_commit_callbacks)
    assert data["equality_answers"] is None
    assert MARKER not in json.dumps(data)


def test_deleting_the_account_deletes_the_answers_and_nobody_elses(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    EqualityAnswersFactory(user=person.user)
    other = EqualityAnswersFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = person.client.post(reverse("privacy:delete"), {"password": password})
    assert response.status_code == 302
    assert not EqualityAnswers.objects.filter(user=person.user).exists()
    assert EqualityAnswers.objects.filter(pk=other.pk).exists()


def test_the_retention_job_deletes_the_answers_of_those_it_anonymises(
    person: Person, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RETENTION_DAYS = 365
    EqualityAnswersFactory(user=person.user)
    recent = EqualityAnswersFactory()
    then = timezone.now() - dt.timedelta(days=366)
    User.objects.filter(pk=person.user.pk).update(date_joined=then, last_login=then)
    Application.objects.filter(applicant=person.user).update(updated_at=then, created_at=then)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.inactive_accounts_anonymise_task() == 1
    assert not EqualityAnswers.objects.filter(user=person.user).exists()
    assert EqualityAnswers.objects.filter(pk=recent.pk).exists()


def test_the_delete_page_says_the_answers_go_too(person: Person) -> None:
    page = person.client.get(reverse("privacy:delete")).content.decode()
    assert "equality answers" in page
