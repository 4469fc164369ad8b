"""The one lock helper locks only the rows it names: proven with real PostgreSQL locks.

A holder thread takes a lock and keeps its transaction open; a second thread,
on its own connection, must get its own lock at once (a one-second lock_timeout
turns waiting into a failure).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from applications.models import ApplicationState as S
from applications.services import places
from applications.services.places.locking import lock_cohort
from programmes.models import Programme
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def held(take: Callable[[], object]) -> Iterator[None]:
    """Run `take` in another thread's transaction and hold its locks until the block ends."""
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                take()
                locked.set()
                release.wait(timeout=30)
        except BaseException as error:  # reported to the test below
            errors.append(error)
            locked.set()
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(timeout=30)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)
    assert not errors, errors


def in_another_thread(work: Callable[[], object]) -> BaseException | None:
    """Run `work` with a one-second lock timeout on a fresh connection; return its error."""
    result: list[BaseException | None] = [None]

    def run() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                work()
        except BaseException as error:  # returned to the test
            result[0] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result[0]


def test_sibling_cohorts_of_one_programme_do_not_block_each_other() -> None:
    first = factories.CohortFactory(capacity=2, programme__admission_mode="selective")
    sibling = factories.CohortFactory(capacity=2, programme=first.programme)
    application = factories.ApplicationFactory(cohort=sibling, state=S.ELIGIBLE)
    staff = factories.UserFactory()

    with held(lambda: lock_cohort(first.pk)):
        error = in_another_thread(
            lambda: places.application_offer(application=application, by=staff)
        )
    assert error is None
    application.refresh_from_db()
    assert application.state == S.OFFERED


def test_a_writer_holding_the_programme_does_not_block_a_booking() -> None:
    """The admin saves a programme (locking it) and then its cohorts: no deadlock with us."""
    cohort = factories.CohortFactory(capacity=2, programme__admission_mode="selective")
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    staff = factories.UserFactory()

    def lock_programme() -> None:
        list(Programme.objects.select_for_update().filter(pk=cohort.programme_id))

    with held(lock_programme):
        error = in_another_thread(
            lambda: places.application_offer(application=application, by=staff)
        )
    assert error is None


def test_the_same_cohort_is_still_serialised() -> None:
    """The control: a second writer on the same cohort does wait (and here times out)."""
    cohort = factories.CohortFactory(capacity=2, programme__admission_mode="selective")
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)
    staff = factories.UserFactory()

    with held(lambda: lock_cohort(cohort.pk)):
        error = in_another_thread(
            lambda: places.application_offer(application=application, by=staff)
        )
    assert error is not None and "lock timeout" in str(error)
    application.refresh_from_db()
    assert application.state == S.ELIGIBLE
