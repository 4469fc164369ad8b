"""PrecompiledGet returns what `.get()` returns, compiles once per thread, and keeps the
checks Django's compiler would have made on each call."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from portal.precompiled import MARKER, PrecompiledGet
from programmes.models import Cohort
from tests import factories


def _application_with_everything() -> PrecompiledGet[Application]:
    return PrecompiledGet(
        lambda pk: Application.objects.select_related(
            "cohort__programme", "applicant__profile__local_authority"
        ).filter(pk=pk)
    )


def _values(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_it_returns_the_objects_get_returns_with_the_same_relations_loaded(
    django_assert_num_queries: Any,
) -> None:
    applicant = factories.UserFactory()
    factories.ProfileFactory(user=applicant)
    made = factories.ApplicationFactory(
        applicant=applicant,
        state="submitted",
        submitted_at=timezone.now(),
        snapshot={"full_name": "Ada", "career": [{"role": "Head"}]},
        eligibility_results=[{"kind": "nation", "outcome": "pass"}],
    )
    expected = Application.objects.select_related(
        "cohort__programme", "applicant__profile__local_authority"
    ).get(pk=made.pk)

    with django_assert_num_queries(1):
        found = _application_with_everything().get(made.pk)
        # Every related object came with the one query.
        related = [
            found.cohort.programme,
            found.applicant.profile.local_authority,
        ]

    assert _values(found) == _values(expected)
    assert _values(found.cohort) == _values(expected.cohort)
    assert _values(related[0]) == _values(expected.cohort.programme)
    assert _values(found.applicant) == _values(expected.applicant)
    assert _values(found.applicant.profile) == _values(expected.applicant.profile)
    assert _values(related[1]) == _values(expected.applicant.profile.local_authority)
    assert found.snapshot == {"full_name": "Ada", "career": [{"role": "Head"}]}
    assert found.submitted_at == expected.submitted_at and found.submitted_at.tzinfo
    assert found._state.adding is False and found._state.db == "default"


@pytest.mark.django_db
def test_it_compiles_once_and_then_only_runs_the_sql() -> None:
    first, second = factories.ApplicationFactory(), factories.ApplicationFactory()
    lookup = _application_with_everything()
    lookup.get(first.pk)

    with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as compiling:
        assert lookup.get(second.pk).pk == second.pk
        assert lookup.get(first.pk).pk == first.pk

    compiling.assert_not_called()


@pytest.mark.django_db
def test_a_missing_row_raises_does_not_exist() -> None:
    with pytest.raises(Application.DoesNotExist):
        _application_with_everything().get(10**9)


@pytest.mark.django_db
def test_more_than_one_row_raises() -> None:
    cohort = factories.CohortFactory()
    factories.ApplicationFactory(cohort=cohort)
    factories.ApplicationFactory(cohort=cohort)
    by_cohort = PrecompiledGet(lambda pk: Application.objects.filter(cohort_id=pk))

    with pytest.raises(Application.MultipleObjectsReturned):
        by_cohort.get(cohort.pk)


@pytest.mark.django_db
def test_the_value_must_appear_exactly_once_in_the_query() -> None:
    twice = PrecompiledGet(lambda pk: User.objects.filter(pk=pk).exclude(pk=MARKER))

    with pytest.raises(ValueError, match="exactly once"):
        twice.get(1)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_on_every_call_not_only_the_first() -> None:
    cohort = factories.CohortFactory()
    locked = PrecompiledGet(lambda pk: Cohort.objects.select_for_update().filter(pk=pk))
    with transaction.atomic():
        assert locked.get(cohort.pk).pk == cohort.pk  # compiled here, inside

    with pytest.raises(TransactionManagementError):
        locked.get(cohort.pk)


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_taken_and_held_until_the_transaction_ends() -> None:
    cohort = factories.CohortFactory()
    locked = PrecompiledGet(lambda pk: Cohort.objects.select_for_update().filter(pk=pk))
    seen: list[str] = []

    def other() -> None:
        from django.db import connection as theirs

        try:
            with transaction.atomic(), theirs.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
                try:
                    locked.get(cohort.pk)
                    seen.append("got it")
                except Exception as error:
                    seen.append(type(error).__name__)
        finally:
            theirs.close()

    with transaction.atomic():
        locked.get(cohort.pk)
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()

    assert seen and seen[0] != "got it", seen
    assert connection.in_atomic_block is False
