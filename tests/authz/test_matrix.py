"""Every URL has a declared expectation for every role, and the expectations hold."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from programmes.models import Programme, ProgrammeTeamMember
from tests import factories

from .matrix import ADMIN_NAMESPACE, ADMIN_SAMPLE, MATRIX, ROLES, Case


def _all_url_names(patterns=None, prefix: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _all_url_names(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            names.append(
                f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed {entry.pattern}>"
            )
    return names


def test_every_url_pattern_has_declared_expectations() -> None:
    undeclared = [
        name
        for name in _all_url_names()
        if name not in MATRIX and not name.startswith(f"{ADMIN_NAMESPACE}:")
    ]
    assert undeclared == [], f"add these URLs to tests/authz/matrix.py: {undeclared}"


def test_every_declared_url_still_exists() -> None:
    existing = set(_all_url_names())
    stale = [name for name in [*MATRIX, *ADMIN_SAMPLE] if name not in existing]
    assert stale == []


def test_every_case_names_every_role() -> None:
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items():
        assert set(case.expect) == set(ROLES), name


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


CASES = [(name, role) for name in {**MATRIX, **ADMIN_SAMPLE} for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_the_declared_response(url_name: str, role: str, world: World) -> None:
    case: Case = {**MATRIX, **ADMIN_SAMPLE}[url_name]
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, case.method)(reverse(url_name, kwargs=case.kwargs(world)))
    assert response.status_code == case.expect[role], (
        f"{role} on {url_name}: got {response.status_code}, declared {case.expect[role]}"
    )
