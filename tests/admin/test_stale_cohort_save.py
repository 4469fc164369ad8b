"""Saving a Cohort never writes places_taken back over the row.

The places services change the counter with F() updates under a lock on the cohort. Any
other save of a Cohort loaded earlier (the admin, a shell, another service) would put the
old count back, so Cohort.save leaves the column out of its UPDATE.
"""

from __future__ import annotations

import pytest

from programmes.models import Cohort
from tests import factories

pytestmark = pytest.mark.django_db


def test_saving_a_stale_cohort_keeps_the_places_taken_in_the_database() -> None:
    cohort = factories.CohortFactory(capacity=10)
    stale = Cohort.objects.get(pk=cohort.pk)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=4)

    stale.name = "Renamed cohort"
    stale.save()

    assert Cohort.objects.values_list("name", "places_taken").get(pk=cohort.pk) == (
        "Renamed cohort",
        4,
    )


def test_saving_a_cohort_loaded_with_only_some_fields_keeps_the_others() -> None:
    cohort = factories.CohortFactory(capacity=10, venue="Leeds")
    partial = Cohort.objects.only("pk", "name").get(pk=cohort.pk)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3, venue="York")

    partial.name = "Renamed cohort"
    partial.save()

    assert Cohort.objects.values_list("name", "venue", "places_taken").get(pk=cohort.pk) == (
        "Renamed cohort",
        "York",
        3,
    )


def test_a_new_cohort_and_a_copy_are_inserted_as_usual() -> None:
    original = factories.CohortFactory(capacity=10)
    copy = Cohort.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.name = "Copy of the cohort"

    copy.save()

    assert copy.pk != original.pk
    names = Cohort.objects.filter(programme=original.programme).values_list("name", flat=True)
    assert set(names) == {original.name, "Copy of the cohort"}
