""" "New dates open" emails are claimed subscriber by subscriber, never by locking the cohort.

Applications open at the moment a cohort is announced, so a lock on the cohort row
would hold up every submission to it for as long as the batch took to queue.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from post_office.models import Email

from programmes.models import Cohort, CohortAnnouncement, FutureDatesSubscription
from programmes.services import future_dates as services
from programmes.services.future_dates import cohort_announcements_send
from tests import factories


def _subscribers(programme: Any, count: int) -> list[FutureDatesSubscription]:
    return [
        factories.FutureDatesSubscriptionFactory(
            programme=programme, email=f"person{n}@example.org", confirmed_at=timezone.now()
        )
        for n in range(count)
    ]


def _recipients() -> Counter[str]:
    return Counter(address for email in Email.objects.all() for address in email.to)


@pytest.mark.django_db
def test_running_twice_emails_each_subscriber_once(monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "ANNOUNCEMENT_CLAIM", 2)
    cohort = factories.CohortFactory()
    people = _subscribers(cohort.programme, 5)

    assert cohort_announcements_send() == 5
    assert cohort_announcements_send() == 0

    assert _recipients() == Counter({p.email: 1 for p in people})
    assert CohortAnnouncement.objects.filter(cohort=cohort).count() == 5
    cohort.refresh_from_db()
    assert cohort.announced_at is not None


def _try_to_lock(model: type[Any], pk: int) -> str:
    """From another connection, try to lock one row without waiting: "free" or "locked"."""
    outcome: list[str] = []

    def probe() -> None:
        try:
            table = connection.ops.quote_name(model._meta.db_table)
            with transaction.atomic(), connection.cursor() as cursor:
                # The table name is the model's own, never input.
                sql = f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT"  # noqa: S608
                cursor.execute(sql, [pk])
            outcome.append("free")
        except OperationalError:
            outcome.append("locked")
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=20)
    return outcome[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_cohort_row_is_not_locked_while_a_batch_is_claimed(monkeypatch: Any) -> None:
    cohort = factories.CohortFactory()
    people = {p.email: p for p in _subscribers(cohort.programme, 3)}
    seen: dict[str, str] = {}
    real_email_queue = services.email_queue

    def probing(**kwargs: Any) -> Any:
        if not seen:
            # Inside the claiming transaction, with this subscriber's row claimed.
            assert connection.in_atomic_block
            seen["cohort"] = _try_to_lock(Cohort, cohort.pk)
            seen["subscriber"] = _try_to_lock(FutureDatesSubscription, people[kwargs["to"]].pk)
        return real_email_queue(**kwargs)

    monkeypatch.setattr(services, "email_queue", probing)

    assert cohort_announcements_send() == 3
    assert seen == {"cohort": "free", "subscriber": "locked"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_email_each_subscriber_once(monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "ANNOUNCEMENT_CLAIM", 3)
    cohort = factories.CohortFactory()
    people = _subscribers(cohort.programme, 40)
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            sent.append(cohort_announcements_send())
        except BaseException as error:  # asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(sent) == 40
    assert _recipients() == Counter({p.email: 1 for p in people})
    assert cohort_announcements_send() == 0
    cohort.refresh_from_db()
    assert cohort.announced_at is not None
