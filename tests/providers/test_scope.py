from __future__ import annotations

from typing import Any

import pytest

from providers.scope import cohorts_of, enrolments_of, programmes_of, provider_for
from tests import factories

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


def test_no_provider_sees_nothing_at_all(a: Side, b: Side) -> None:
    enrol(a.cohort)
    enrol(b.cohort)
    assert list(programmes_of(None)) == []
    assert list(cohorts_of(None)) == []
    assert list(enrolments_of(None)) == []


def test_each_provider_sees_only_its_own(a: Side, b: Side) -> None:
    mine = enrol(a.cohort)
    enrol(b.cohort)
    assert list(programmes_of(a.provider)) == [a.programme]
    assert list(cohorts_of(a.provider)) == [a.cohort]
    assert list(enrolments_of(a.provider)) == [mine]


def test_people_outside_any_provider_have_no_provider(a: Side, django_user_model: Any) -> None:
    assert provider_for(factories.UserFactory()) is None
    assert provider_for(None) is None
    assert provider_for(a.user) == a.provider


def test_only_enrolled_completed_and_did_not_complete_count(a: Side) -> None:
    kept = {enrol(a.cohort, state=s).pk for s in ("enrolled", "completed", "did_not_complete")}
    for state in ("offered", "withdrawn", "waitlisted", "submitted"):
        enrol(a.cohort, state=state)
    assert set(enrolments_of(a.provider).values_list("pk", flat=True)) == kept
