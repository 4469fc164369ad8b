"""The world every authorization test runs in: one programme and one person per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from programmes.models import Programme, ProgrammeTeamMember
from tests import factories
from tests.second_factor import app_device


@dataclass
class World:
    programme: Programme
    users: dict[str, User | None]


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory()
    factories.CohortFactory(programme=programme)
    screener = factories.UserFactory(email="screener@example.org")
    staff = factories.UserFactory(email="staff@example.org")
    provider = factories.UserFactory(email="provider@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=screener, programme=programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    factories.ProgrammeTeamMemberFactory(
        user=staff, programme=programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    factories.ProviderMembershipFactory(user=provider, provider=programme.providers.first())
    admin = User.objects.create_superuser(
        "admin@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )
    # Their authenticator apps exist before any test signs them in (tests/conftest.py), so
    # signing in writes nothing a request could be blamed for.
    for user in (screener, staff, provider, admin):
        app_device(user)
    return World(
        programme=programme,
        users={
            "anonymous": None,
            "applicant": factories.UserFactory(email="applicant@example.org"),
            "screener": screener,
            "staff": staff,
            "provider": provider,
            "admin": admin,
        },
    )
