"""The database itself refuses catalogue rows that must never exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from programmes.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db


def _refused(**fields) -> bool:
    try:
        with transaction.atomic():
            factories.CohortFactory(**fields)
    except IntegrityError:
        return True
    return False


def test_cohort_capacity_must_be_positive() -> None:
    assert _refused(capacity=0)


def test_cohort_cannot_end_before_it_starts() -> None:
    assert _refused(starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 2, 1))


def test_application_window_must_close_after_it_opens() -> None:
    opens = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    assert _refused(applications_open_at=opens, applications_close_at=opens)


def test_offer_deadline_is_between_one_and_ninety_days() -> None:
    assert _refused(offer_deadline_days=0)
    assert _refused(offer_deadline_days=91)


def test_cohort_names_are_unique_within_a_programme() -> None:
    cohort = factories.CohortFactory(name="Autumn")
    assert _refused(programme=cohort.programme, name="Autumn")
    assert not _refused(name="Autumn")  # another programme may reuse it


def test_programme_slugs_are_unique() -> None:
    factories.ProgrammeFactory(slug="upon")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgrammeFactory(slug="upon")


def test_funded_programme_carries_no_fee() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgrammeFactory(cost_type="funded", cost_amount=100)


def test_published_manager_hides_drafts() -> None:
    shown = factories.ProgrammeFactory(is_published=True)
    factories.ProgrammeFactory(is_published=False)
    assert list(Programme.objects.published()) == [shown]


def test_theme_list_ignores_blank_lines() -> None:
    programme = factories.ProgrammeFactory.build(themes="Systems leadership\n\n  Resilience  \n")
    assert programme.theme_list == ["Systems leadership", "Resilience"]
