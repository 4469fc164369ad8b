"""Two providers, each with a programme, a cohort and people enrolled on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from applications.models import Application, ApplicationEvent, ApplicationState
from programmes.models import Cohort, Programme, Provider
from tests import factories

ENROLLED_ON = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)


def enrol(cohort: Cohort, state: str = ApplicationState.ENROLLED, **snapshot: Any) -> Application:
    """An enrolment with a frozen snapshot and the event that dates it."""
    user = factories.UserFactory(full_name=snapshot.get("full_name", "Sam Jones"))
    factories.ProfileFactory(
        user=user,
        local_authority=factories.LocalAuthorityFactory(
            name=snapshot.pop("local_authority", "Cardiff")
        ),
    )
    details = {
        "full_name": user.full_name,
        "email": user.email,
        "job_title": "Head of service",
        "employer": "Cardiff Council",
        "nation": "Wales",
        # Equality answers are never in a snapshot today; one here proves none leaks.
        "ethnicity": "SECRET-EQUALITY-ANSWER",
        **snapshot,
    }
    application = factories.ApplicationFactory(
        cohort=cohort, applicant=user, state=state, snapshot=details
    )
    event = factories.ApplicationEventFactory(
        application=application, from_state="offered", to_state=ApplicationState.ENROLLED
    )
    ApplicationEvent.objects.filter(pk=event.pk).update(created_at=ENROLLED_ON)
    return application


@dataclass
class Side:
    provider: Provider
    programme: Programme
    cohort: Cohort
    user: User
    client: Client


def _side(name: str) -> Side:
    provider = factories.ProviderFactory(name=f"Provider {name}", slug=f"provider-{name.lower()}")
    programme = factories.ProgrammeFactory(
        providers=[provider], accreditation="ILM Level 7" if name == "A" else ""
    )
    cohort = factories.CohortFactory(programme=programme, name=f"Spring {name}")
    user = factories.UserFactory(email=f"staff-{name.lower()}@example.org")
    factories.ProviderMembershipFactory(user=user, provider=provider)
    client = Client()
    client.force_login(user)
    return Side(provider, programme, cohort, user, client)


@pytest.fixture
def a(db: Any) -> Side:
    return _side("A")


@pytest.fixture
def b(db: Any) -> Side:
    return _side("B")


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()
