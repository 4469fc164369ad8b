"""db_fingerprint() notices the changes the matrix relies on it to notice, and only those."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from post_office.models import Email

from accounts.models import User
from applications.models import Application, EligibilityRule
from programmes.models import Cohort
from tests import factories

from .conftest import World
from .fingerprint import changed_tables, db_fingerprint


@pytest.fixture
def setting(world: World) -> World:
    """The rows the changes below work on, made before the first snapshot is taken."""
    factories.ApplicationFactory(
        cohort=world.programme.cohorts.first(), applicant=world.users["applicant"], state="draft"
    )
    factories.EligibilityRuleFactory(programme=world.programme)
    return world


# Every change touches rows that already exist (or adds one row), so the snapshot
# must see the change itself, not some set-up row made along the way.
def _offer(world: World) -> None:
    Application.objects.update(state="offered")


def _take_a_place(world: World) -> None:
    # The way the places service counts: an F() update that no save() or signal sees.
    Cohort.objects.update(places_taken=F("places_taken") + 1)


def _record_an_event(world: World) -> None:
    factories.ApplicationEventFactory(application=Application.objects.get())


def _answer_a_question(world: World) -> None:
    Application.objects.update(declarations={"nation": "wales"})


def _switch_off_a_rule(world: World) -> None:
    EligibilityRule.objects.update(is_active=False)


def _change_a_password(world: World) -> None:
    applicant = User.objects.get(email="applicant@example.org")
    applicant.set_password("a-different-password")
    applicant.save(update_fields=["password"])


def _queue_an_email(world: World) -> None:
    Email.objects.create(
        from_email="portal@example.org", to=["someone@example.org"], subject="Hi", message="Hi"
    )


# What is done, and the one table that must show it.
CHANGES: dict[str, tuple[Callable[[World], Any], str]] = {
    "application state": (_offer, "applications.application"),
    "cohort places taken": (_take_a_place, "programmes.cohort"),
    "new application event": (_record_an_event, "applications.applicationevent"),
    "answer in a JSON field": (_answer_a_question, "applications.application"),
    "rule switched off": (_switch_off_a_rule, "applications.eligibilityrule"),
    "password hash": (_change_a_password, "accounts.user"),
    "email queued": (_queue_an_email, "post_office.email"),
}


def test_fingerprint_is_hashable_and_stable_when_nothing_changes(world: World) -> None:
    first = db_fingerprint()
    assert hash(first) == hash(db_fingerprint())
    assert changed_tables(first, db_fingerprint()) == []


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_fingerprint_sees_the_change(change: str, setting: World) -> None:
    act, table = CHANGES[change]
    before = db_fingerprint()
    act(setting)
    after = db_fingerprint()
    assert before != after
    assert changed_tables(before, after) == [table]


def test_signing_in_is_bookkeeping_the_fingerprint_ignores(world: World) -> None:
    """force_login writes a session row and last_login; neither is what a request did."""
    before = db_fingerprint()
    for user in world.users.values():
        if user is not None:
            Client().force_login(user)
    assert changed_tables(before, db_fingerprint()) == []
