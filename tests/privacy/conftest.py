"""An applicant with something in every category we hold, and a signed-in client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from accounts.models import User
from applications.models import Application, SupportingDocument
from notifications.outbox import email_queue
from programmes.models import Cohort, FutureDatesSubscription
from tests import factories

PDF = b"%PDF-1.4\n% a CV\n"


@dataclass
class Person:
    user: User
    cohort: Cohort
    application: Application
    document: SupportingDocument
    subscription: FutureDatesSubscription
    client: Client


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def document_on(application: Application, name: str = "my-cv.pdf") -> SupportingDocument:
    document = SupportingDocument(
        application=application,
        kind="cv",
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
    )
    document.file.save("cv.pdf", ContentFile(PDF), save=True)
    return document


@pytest.fixture
def person(db: Any) -> Person:
    user = factories.UserFactory(email="nia.evans@example.org", full_name="Nia Evans")
    factories.ProfileFactory(user=user, job_title="Head of early help")
    factories.CareerEntryFactory(user=user, role_title="Head of early help", organisation="Conwy")
    cohort = factories.CohortFactory(programme__title="Aspiring directors", capacity=1)
    application = factories.ApplicationFactory(
        cohort=cohort,
        applicant=user,
        state="eligible",
        eligibility_outcome="eligible",
        eligibility_results=[
            {"rule_id": 1, "version": 1, "kind": "nation", "outcome": "pass", "reason": "Wales"}
        ],
        declarations={"ready": True},
        supporting_statement="I lead early help in Conwy.",
        endorser_name="Sam Patel",
        endorser_role="Director",
        endorser_email="sam.patel@example.org",
        snapshot={"full_name": "Nia Evans", "email": "nia.evans@example.org"},
    )
    factories.ApplicationEventFactory(
        application=application, from_state="submitted", to_state="eligible", reason="Passed"
    )
    document = document_on(application)
    subscription = factories.FutureDatesSubscriptionFactory(
        programme=cohort.programme, email="Nia.Evans@example.org"
    )
    email_queue(
        to=user.email,
        template="application_withdrawn",
        context={"name": "Nia", "programme": "Earlier programme", "cohort": "Spring"},
    )
    return Person(user, cohort, application, document, subscription, signed_in(user))
