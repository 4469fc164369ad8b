"""Who sees reports beyond the matrix's roles: funders, screeners given the permission,
managers whose permission was taken away. One row per kind of person and URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from programmes.models import Programme, ProgrammeTeamMember, Provider
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class Funded:
    funded: Programme
    other: Programme
    funder: Provider


@pytest.fixture
def funded() -> Funded:
    funder = factories.ProviderFactory(kind=Provider.Kind.FUNDER, name="Department for Education")
    funded = factories.ProgrammeFactory(funder=funder)
    other = factories.ProgrammeFactory()
    for programme in (funded, other):
        factories.CohortFactory(programme=programme)
    return Funded(funded, other, funder)


def _funder_staff(world: Funded) -> Any:
    return factories.ProviderMembershipFactory(provider=world.funder).user


def _other_funder_staff(world: Funded) -> Any:
    other = factories.ProviderFactory(kind=Provider.Kind.FUNDER)
    return factories.ProviderMembershipFactory(provider=other).user


def _provider_kind_named_as_funder(world: Funded) -> Any:
    # Only a provider whose kind is "funder" reads reports as the funder.
    organisation = factories.ProviderFactory(kind=Provider.Kind.PROVIDER)
    world.other.funder = organisation
    world.other.save()
    return factories.ProviderMembershipFactory(provider=organisation).user


def _screener_with_permission(world: Funded) -> Any:
    return factories.ProgrammeTeamMemberFactory(
        programme=world.funded, role=ProgrammeTeamMember.Role.SCREENER, can_see_reports=True
    ).user


def _manager_without_permission(world: Funded) -> Any:
    return factories.ProgrammeTeamMemberFactory(
        programme=world.funded, role=ProgrammeTeamMember.Role.MANAGER, can_see_reports=False
    ).user


def _urls(programme: Programme) -> list[str]:
    cohort = programme.cohorts.first()
    return [
        reverse("reports:programme", args=[programme.slug]),
        reverse("reports:programme_csv", args=[programme.slug, "funnel"]),
        reverse("reports:cohort", args=[programme.slug, cohort.pk]),
        reverse("reports:cohort_csv", args=[programme.slug, cohort.pk, "reference"]),
    ]


# (who, list status, status on the funded programme's pages, on the other programme's)
CASES: list[tuple[Callable[[Funded], Any], int, int, int]] = [
    (_funder_staff, 200, 200, 404),
    (_other_funder_staff, 403, 403, 403),
    (_provider_kind_named_as_funder, 403, 403, 403),
    (_screener_with_permission, 200, 200, 404),
    (_manager_without_permission, 403, 403, 403),
]


@pytest.mark.parametrize(("who", "listing", "funded_status", "other_status"), CASES)
def test_each_kind_of_person_gets_the_declared_response(
    client, funded, who, listing, funded_status, other_status
):
    client.force_login(who(funded))
    assert client.get(reverse("reports:programmes")).status_code == listing
    for url in _urls(funded.funded):
        assert client.get(url).status_code == funded_status, url
    for url in _urls(funded.other):
        assert client.get(url).status_code == other_status, url


def test_a_funder_lists_only_the_programmes_it_funds(client, funded):
    client.force_login(_funder_staff(funded))
    response = client.get(reverse("reports:programmes"))
    assert [p.pk for p in response.context["programmes"]] == [funded.funded.pk]


def test_a_funder_cannot_change_anything_through_the_reports(client, funded):
    client.force_login(_funder_staff(funded))
    for url in _urls(funded.funded):
        assert client.post(url).status_code == 405
