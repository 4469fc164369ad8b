"""An application's console page: what was submitted, rule outcomes, documents, history."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from applications.models import ApplicationState as S
from applications.models import SupportingDocument
from tests import factories

from .conftest import make_application

pytestmark = pytest.mark.django_db


def test_page_shows_snapshot_statement_endorser_and_rule_outcomes(cohort, screener_client):
    application = make_application(
        cohort,
        S.NEEDS_REVIEW,
        snapshot={"full_name": "Alex Applicant", "sector": "Education", "job_title": "Head of SEND",
                  "career": [{"role": "Head", "organisation": "Council", "sector": "Education",
                              "level": "Senior", "from": "2019-01-01", "to": None}]},
        supporting_statement="I want to lead change.",
        endorser_name="Dana Director", endorser_role="DCS", endorser_email="dana@example.org",
        eligibility_results=[{"outcome": "unknown", "reason": "We could not tell.",
                              "message": "At least three years"}],
    )  # fmt: skip
    html = screener_client.get(reverse("manage:application", args=[application.pk])).content
    text = html.decode()
    for expected in ["Head of SEND", "I want to lead change.", "Dana Director", "Council",
                     "At least three years", "We could not tell.", "Not known yet"]:  # fmt: skip
        assert expected in text


def test_history_shows_actor_change_reason_and_override(cohort, manager, manager_client) -> None:
    application = make_application(cohort, S.ELIGIBLE, eligibility_outcome="ineligible")
    factories.ApplicationEventFactory(
        application=application, actor=manager, from_state=S.INELIGIBLE, to_state=S.ELIGIBLE,
        reason="Experience confirmed by phone", is_override=True,
    )  # fmt: skip
    text = manager_client.get(reverse("manage:application", args=[application.pk])).content
    text = text.decode()
    assert "Morgan Manager" in text
    assert "Experience confirmed by phone" in text
    assert "Not eligible → Eligible" in text
    assert "overrides the automatic check" in text


def test_waiting_list_position_is_shown(cohort, manager_client) -> None:
    make_application(cohort, S.WAITLISTED)
    second = make_application(cohort, S.WAITLISTED)
    response = manager_client.get(reverse("manage:application", args=[second.pk]))
    assert response.context["position"] == 2


def test_manager_actions_are_hidden_from_screeners(cohort, screener_client) -> None:
    application = make_application(cohort)
    text = screener_client.get(reverse("manage:application", args=[application.pk])).content
    assert b"Offer a place" not in text
    assert b"Save decision" in text


def _document(application) -> SupportingDocument:  # type: ignore[no-untyped-def]
    document = SupportingDocument(
        application=application, kind="cv", original_name="cv.pdf",
        content_type="application/pdf", size=9,
    )  # fmt: skip
    document.file.save("console-cv.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return document


def test_screener_downloads_a_document_as_a_private_attachment(cohort, screener_client) -> None:
    application = make_application(cohort)
    document = _document(application)
    response = screener_client.get(reverse("manage:document", args=[application.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"


def test_document_of_another_application_is_404(cohort, screener_client) -> None:
    application = make_application(cohort)
    other = make_application(cohort)
    document = _document(other)
    url = reverse("manage:document", args=[application.pk, document.pk])
    assert screener_client.get(url).status_code == 404


def test_other_programmes_manager_cannot_download(cohort, other_manager) -> None:
    application = make_application(cohort)
    document = _document(application)
    client = Client()
    client.force_login(other_manager)
    url = reverse("manage:document", args=[application.pk, document.pk])
    assert client.get(url).status_code == 404


def test_the_details_being_judged_come_before_the_decision_forms(cohort, manager_client):
    from .conftest import make_application

    application = make_application(cohort)
    page = manager_client.get(reverse("manage:application", args=[application.pk]))
    html = page.content.decode()
    assert html.index("Details at submission") < html.index("Screening decision")
    assert html.index("Supporting statement") < html.index("Offer a place")


def test_rule_reasons_worded_for_the_applicant_are_shown_as_what_they_were_told(
    cohort, screener_client
) -> None:
    """The reasons speak to the applicant ("add your roles to your profile"); staff read
    them as a quotation, not as if the page were talking to them."""
    reason = "We could not check this because your career history is empty."
    application = make_application(
        cohort,
        S.NEEDS_REVIEW,
        eligibility_results=[{"outcome": "unknown", "reason": reason, "message": "Three years"}],
    )
    text = screener_client.get(reverse("manage:application", args=[application.pk])).content
    assert f"The applicant was told: “{reason}”" in text.decode()
