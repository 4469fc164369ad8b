"""Task-list sections: which a programme asks for, and completeness worked out from the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.errors import ApplicationIncomplete
from applications.models import ApplicationState, RuleKind
from applications.sections import (
    DOCUMENTS_MISSING,
    ENDORSER_IS_APPLICANT,
    ENDORSER_MISSING,
    STATEMENT_EMPTY,
)
from applications.services.drafts import sections_missing
from applications.services.submission import application_submit
from tests import factories

from .conftest import READY_KEY

pytestmark = pytest.mark.django_db


def _task_list(client, ready) -> str:
    client.force_login(ready.applicant)
    return client.get(reverse("applications:detail", args=[ready.application.pk])).content.decode()


def _status(body: str, key: str) -> str:
    marker = f'id="status-{key}" data-status="'
    start = body.index(marker) + len(marker)
    return body[start : body.index('"', start)]


# --- Completeness comes from the saved data --------------------------------------


def test_a_confirmed_section_whose_statement_was_emptied_is_not_completed(client, ready) -> None:
    assert _status(_task_list(client, ready), "statement") == "completed"
    ready.application.supporting_statement = "   "
    ready.application.save()
    body = _task_list(client, ready)
    assert _status(body, "statement") == "incomplete"
    assert str(STATEMENT_EMPTY) in body
    assert "You have completed 5 of 6 sections." in body
    assert sections_missing(ready.application) == ["statement"]
    with pytest.raises(ApplicationIncomplete, match="Supporting statement"):
        application_submit(application=ready.application, by=ready.applicant)
    ready.application.refresh_from_db()
    assert ready.application.state == ApplicationState.DRAFT
    assert "statement" in ready.application.sections_done  # what they confirmed is kept


def test_a_deleted_required_document_makes_the_documents_section_incomplete(client, ready) -> None:
    factories.EligibilityRuleFactory(
        programme=ready.cohort.programme,
        kind=RuleKind.REQUIRED_DOCUMENT,
        params={"document_kind": "cv"},
        message="A CV",
    )
    document = factories.SupportingDocumentFactory(application=ready.application, kind="cv")
    assert _status(_task_list(client, ready), "documents") == "completed"
    document.delete()
    body = _task_list(client, ready)
    assert _status(body, "documents") == "incomplete"
    assert str(DOCUMENTS_MISSING % {"documents": "CV"}) in body
    assert sections_missing(ready.application) == ["documents"]


def test_removing_the_endorser_email_refuses_submission(client, ready) -> None:
    ready.application.endorser_email = ""
    ready.application.save()
    body = _task_list(client, ready)
    assert _status(body, "endorsement") == "incomplete"
    assert str(ENDORSER_MISSING).replace("'", "&#x27;") in body
    response = client.post(reverse("applications:submit", args=[ready.application.pk]))
    assert response.url == reverse("applications:check", args=[ready.application.pk])
    ready.application.refresh_from_db()
    assert ready.application.state == ApplicationState.DRAFT


def test_an_unanswered_question_makes_the_eligibility_section_incomplete(ready) -> None:
    ready.application.declarations = {}
    ready.application.save()
    assert sections_missing(ready.application) == ["eligibility"]
    ready.application.declarations = {READY_KEY: False}  # "no" is an answer
    ready.application.save()
    assert sections_missing(ready.application) == []


def test_an_unconfirmed_section_is_not_started_even_with_data(client, ready) -> None:
    ready.application.sections_done = ["personal"]
    ready.application.save()
    body = _task_list(client, ready)
    assert _status(body, "statement") == "not_started"
    assert "statement" in sections_missing(ready.application)


# --- The sponsor is someone else -------------------------------------------------


def test_the_sponsor_cannot_be_the_applicant(client, ready) -> None:
    client.force_login(ready.applicant)
    url = reverse("applications:section", args=[ready.application.pk, "endorsement"])
    response = client.post(
        url,
        {"endorser_name": "Me", "endorser_role": "Me", "endorser_email": " AMARA@example.org "},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["endorser_email"] == [str(ENDORSER_IS_APPLICANT)]
    ready.application.refresh_from_db()
    assert ready.application.endorser_email == "sam.patel@example.org"


def test_a_sponsor_saved_as_the_applicant_before_the_rule_blocks_submission(ready) -> None:
    ready.application.endorser_email = "amara@example.org"
    ready.application.save()
    assert sections_missing(ready.application) == ["endorsement"]


# --- First-come courses ask only what they need ----------------------------------


@pytest.fixture
def first_come(ready):
    programme = ready.cohort.programme
    programme.admission_mode = "first_come"
    programme.save()
    application = ready.application
    application.sections_done = ["personal", "career", "eligibility"]
    application.supporting_statement = ""
    application.endorser_name = application.endorser_role = application.endorser_email = ""
    application.save()
    return ready


def test_first_come_asks_for_no_statement_documents_or_sponsor_by_default(
    client, first_come
) -> None:
    body = _task_list(client, first_come)
    for key in ("statement", "documents", "endorsement"):
        assert f'id="status-{key}"' not in body
    assert "You have completed 3 of 3 sections." in body
    assert sections_missing(first_come.application) == []
    statement = reverse("applications:section", args=[first_come.application.pk, "statement"])
    assert client.get(statement).status_code == 404
    check = client.get(
        reverse("applications:check", args=[first_come.application.pk])
    ).content.decode()
    assert "Supporting statement" not in check and "Submit application" in check
    application = application_submit(application=first_come.application, by=first_come.applicant)
    assert application.state == ApplicationState.ENROLLED


def test_first_come_asks_for_a_sponsor_when_a_rule_needs_one(client, first_come) -> None:
    factories.EligibilityRuleFactory(
        programme=first_come.cohort.programme,
        kind=RuleKind.ENDORSEMENT,
        params={},
        message="Endorsed by your director",
    )
    body = _task_list(client, first_come)
    assert _status(body, "endorsement") == "not_started"
    assert 'id="status-statement"' not in body
    assert sections_missing(first_come.application) == ["endorsement"]


def test_a_paid_first_come_course_never_says_free_place(
    client, first_come, django_capture_on_commit_callbacks
) -> None:
    assert first_come.cohort.programme.cost_type == "paid"
    client.force_login(first_come.applicant)
    pk = first_come.application.pk
    pages = [reverse("applications:detail", args=[pk]), reverse("applications:check", args=[pk])]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[pk]))
    pages += [
        reverse("applications:submitted", args=[pk]),
        reverse("applications:detail", args=[pk]),
        reverse("applications:list"),
    ]
    for url in pages:
        assert "free place" not in client.get(url).content.decode().lower(), url


# --- Check your answers ----------------------------------------------------------


def test_check_answers_warns_which_rules_will_not_be_met_and_why(client, ready) -> None:
    ready.application.declarations = {READY_KEY: False}
    ready.application.save()
    client.force_login(ready.applicant)
    body = client.get(reverse("applications:check", args=[ready.application.pk])).content.decode()
    warning = body[body.index("data-not-met") : body.index("</div>", body.index("data-not-met"))]
    assert "The automatic check will mark 1 rule “not met”" in warning
    assert "Ready to become a director within three years" in warning
    section = reverse("applications:section", args=[ready.application.pk, "eligibility"])
    assert f'href="{section}"' in warning
    assert 'class="warning-box' in body


def test_check_answers_has_no_warning_when_every_rule_is_met(client, ready) -> None:
    client.force_login(ready.applicant)
    body = client.get(reverse("applications:check", args=[ready.application.pk])).content.decode()
    assert "data-not-met" not in body


def test_check_answers_are_a_definition_list(client, ready) -> None:
    client.force_login(ready.applicant)
    body = client.get(reverse("applications:check", args=[ready.application.pk])).content.decode()
    assert body.count('<dl class="row summary-list">') >= 5
    assert "<dt" in body and "<dd" in body
    assert "Sam Patel" in body.split("Sponsor or line manager</h2>")[1].split("</dl>")[0]
