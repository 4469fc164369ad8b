"""The councils with children's services responsibilities are loaded by a data migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from accounts.local_authorities import LOCAL_AUTHORITIES
from accounts.models import LocalAuthority, Nation

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0002_local_authorities")


def test_english_and_welsh_councils_are_loaded_with_their_nation() -> None:
    by_nation = {
        nation: LocalAuthority.objects.filter(nation=nation).count()
        for nation in (Nation.ENGLAND, Nation.WALES)
    }
    assert by_nation == {Nation.ENGLAND: 153, Nation.WALES: 22}
    assert LocalAuthority.objects.get(name="Cardiff").nation == Nation.WALES
    assert LocalAuthority.objects.get(name="City of London").nation == Nation.ENGLAND
    assert LocalAuthority.objects.get(name="Westmorland and Furness").nation == Nation.ENGLAND


def test_the_database_matches_the_list_in_accounts() -> None:
    """Editing accounts/local_authorities.py needs a data migration too; this fails until then."""
    assert set(LocalAuthority.objects.values_list("name", "nation")) == set(LOCAL_AUTHORITIES)
    assert set(migration.LOCAL_AUTHORITIES) <= set(LOCAL_AUTHORITIES)


def test_loading_again_adds_nothing_and_keeps_local_changes() -> None:
    LocalAuthority.objects.filter(name="Powys").update(nation=Nation.ENGLAND)
    migration.load(apps, None)
    assert LocalAuthority.objects.count() == len(LOCAL_AUTHORITIES) == 175
    assert LocalAuthority.objects.get(name="Powys").nation == Nation.ENGLAND
