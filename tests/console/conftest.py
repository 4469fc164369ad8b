"""Fixtures for the staff console: one selective cohort, its team, and people applying."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from applications.models import ApplicationState as S
from programmes.models import ProgrammeTeamMember
from tests import factories


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    return factories.CohortFactory(
        capacity=3, programme__admission_mode="selective", name="Spring cohort"
    )


@pytest.fixture
def manager(cohort):  # type: ignore[no-untyped-def]
    user = factories.UserFactory(email="manager@example.org", full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    return user


@pytest.fixture
def screener(cohort):  # type: ignore[no-untyped-def]
    user = factories.UserFactory(email="screener@example.org", full_name="Sam Screener")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    return user


@pytest.fixture
def other_manager():  # type: ignore[no-untyped-def]
    """Manages a different programme, so must not see ours."""
    user = factories.UserFactory(email="elsewhere@example.org")
    factories.ProgrammeTeamMemberFactory(user=user, role=ProgrammeTeamMember.Role.MANAGER)
    return user


@pytest.fixture
def manager_client(manager) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def screener_client(screener) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(screener)
    return client


def make_application(cohort, state=S.ELIGIBLE, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault(
        "eligibility_outcome",
        state if state in (S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE) else "eligible",
    )
    kwargs.setdefault(
        "snapshot", {"full_name": "Alex Applicant", "sector": "Children's social care"}
    )
    return factories.ApplicationFactory(cohort=cohort, state=state, **kwargs)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in get_messages(response.wsgi_request)]
