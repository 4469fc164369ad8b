"""Delivery at volume: batched claims through the partial index, one nudge per
transaction, each email sent once with workers claiming at once, retention honoured."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone
from post_office.models import STATUS, Email
from post_office.signals import email_queued

from notifications import outbox
from notifications.outbox import (
    BATCH_SIZE,
    email_queue,
    outbox_cleanup,
    outbox_deliver,
    outbox_pending_count,
    outbox_run,
)
from portal import background
from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)

DELIVER_TASK = "notifications.tasks.outbox_deliver_task"


@contextmanager
def _no_nudge() -> Iterator[None]:
    """Queue as if the broker had been down: rows written, nobody told."""
    saved = email_queued.receivers
    email_queued.receivers = []
    try:
        yield
    finally:
        email_queued.receivers = saved


def _queue_many(count: int) -> None:
    with _no_nudge(), transaction.atomic():
        for n in range(count):
            email_queue(to=f"person{n}@example.org", template="test_message", context={"name": n})


@pytest.fixture
def countdowns() -> list[float]:
    """How long each task published by `nudges` was asked to wait, in seconds."""
    return []


@pytest.fixture
def nudges(monkeypatch, countdowns: list[float]) -> list[str]:  # type: ignore[no-untyped-def]
    published: list[str] = []

    def enqueue(name: str, *args: object, countdown: float = 0) -> bool:
        published.append(name)
        countdowns.append(countdown)
        return True

    monkeypatch.setattr(background, "enqueue", enqueue)
    return published


# --- One nudge per transaction ------------------------------------------------


def test_emails_rolled_back_with_a_savepoint_still_leave_one_nudge_for_the_rest(
    nudges: list[str],
) -> None:
    class Undone(Exception):
        pass

    with transaction.atomic():
        with pytest.raises(Undone), transaction.atomic():
            email_queue(to="a@example.org", template="test_message", context={"name": "A"})
            raise Undone
        email_queue(to="b@example.org", template="test_message", context={"name": "B"})
        email_queue(to="c@example.org", template="test_message", context={"name": "C"})

    assert nudges == [DELIVER_TASK]
    assert sorted(e.to[0] for e in Email.objects.all()) == ["b@example.org", "c@example.org"]


def test_a_nudge_still_waiting_for_a_worker_is_not_sent_again(nudges: list[str]) -> None:
    with transaction.atomic():
        email_queue(to="a@example.org", template="test_message", context={"name": "A"})
    with transaction.atomic():
        email_queue(to="b@example.org", template="test_message", context={"name": "B"})

    assert nudges == [DELIVER_TASK]


def test_a_committed_email_nudges_a_run_that_starts_after_the_gathering_time(
    nudges: list[str], countdowns: list[float], settings
) -> None:
    settings.OUTBOX_GATHER_SECONDS = 0.75
    with transaction.atomic():
        email_queue(to="a@example.org", template="test_message", context={"name": "A"})

    assert nudges == [DELIVER_TASK]
    assert countdowns == [0.75]


def test_a_run_asking_for_help_with_a_backlog_does_not_wait(
    nudges: list[str], countdowns: list[float], settings
) -> None:
    settings.OUTBOX_GATHER_SECONDS = 0.75
    celery_app.conf.task_always_eager = False
    _queue_many(BATCH_SIZE + 1)

    outbox_run()

    assert nudges == [DELIVER_TASK]
    assert countdowns == [0]


def test_once_a_worker_takes_the_nudge_the_next_email_nudges_again(nudges: list[str]) -> None:
    with transaction.atomic():
        email_queue(to="a@example.org", template="test_message", context={"name": "A"})
    assert outbox_run() == 1
    with transaction.atomic():
        email_queue(to="b@example.org", template="test_message", context={"name": "B"})

    assert nudges == [DELIVER_TASK, DELIVER_TASK]
    assert outbox_pending_count() == 1


def test_a_nudge_the_broker_refused_is_tried_again_by_the_next_email(monkeypatch) -> None:
    tried: list[str] = []
    monkeypatch.setattr(
        background, "enqueue", lambda name, *args, **options: tried.append(name) and False
    )

    with transaction.atomic():
        email_queue(to="a@example.org", template="test_message", context={"name": "A"})
    with transaction.atomic():
        email_queue(to="b@example.org", template="test_message", context={"name": "B"})

    assert tried == [DELIVER_TASK, DELIVER_TASK]


def test_a_run_that_stops_at_its_limit_nudges_again(nudges: list[str], monkeypatch) -> None:
    monkeypatch.setattr(outbox, "DELIVERY_LIMIT", 4)
    _queue_many(6)

    assert outbox_run() == 4
    assert nudges == [DELIVER_TASK]
    assert outbox_run() == 2
    assert nudges == [DELIVER_TASK]


def test_a_run_whose_first_batch_is_full_asks_one_more_worker_to_help(nudges: list[str]) -> None:
    celery_app.conf.task_always_eager = False
    _queue_many(BATCH_SIZE + 10)

    assert outbox_run() == BATCH_SIZE + 10
    # One nudge after the first batch, for a free worker process; none at the end, the
    # run finished the backlog itself.
    assert nudges == [DELIVER_TASK]


def test_a_run_with_less_than_a_batch_asks_nobody_for_help(nudges: list[str]) -> None:
    celery_app.conf.task_always_eager = False
    _queue_many(BATCH_SIZE - 1)

    assert outbox_run() == BATCH_SIZE - 1
    assert nudges == []


def test_runs_that_find_a_backlog_leave_one_nudge_waiting_not_one_each(
    nudges: list[str], monkeypatch
) -> None:
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(outbox, "_nudge_taken", lambda: None)  # no worker has taken it yet
    _queue_many(2 * BATCH_SIZE + 1)
    outbox_run()
    _queue_many(2 * BATCH_SIZE + 1)
    outbox_run()

    assert nudges == [DELIVER_TASK]


def test_a_run_in_the_caller_asks_no_worker_for_help(nudges: list[str]) -> None:
    celery_app.conf.task_always_eager = True
    _queue_many(BATCH_SIZE + 10)

    assert outbox_run() == BATCH_SIZE + 10
    assert nudges == []


# --- Batches ------------------------------------------------------------------


@pytest.mark.parametrize(("emails", "batches"), [(3, 1), (BATCH_SIZE + 10, 2)])
def test_delivery_costs_three_queries_a_batch_not_a_few_an_email(
    emails: int, batches: int, django_assert_num_queries: Any
) -> None:
    _queue_many(emails)

    # Per batch: BEGIN, the claim, its attachments, one UPDATE for every email sent,
    # COMMIT. A batch shorter than asked for ends the run: nothing else is free.
    with django_assert_num_queries(5 * batches):
        assert outbox_deliver() == emails

    assert len(mail.outbox) == emails
    assert Email.objects.filter(status=STATUS.sent).count() == emails


def test_delivery_stops_at_its_limit_and_the_rest_stay_queued() -> None:
    _queue_many(7)

    assert outbox_deliver(limit=5, batch_size=2) == 5
    assert outbox_pending_count() == 2


def test_text_an_applicant_typed_is_not_run_as_template_code() -> None:
    with transaction.atomic():
        email_queue(to="a@example.org", template="test_message", context={"name": "{{ 6|add:1 }}"})

    assert "Hello {{ 6|add:1 }}," in mail.outbox[0].body


@pytest.mark.postgres
def test_the_claim_reads_the_partial_index_not_the_sent_mail() -> None:
    # Mid-race: a few hundred waiting behind thousands already sent.
    _queue_many(200)
    sent = [
        Email(to=["old@example.org"], from_email="x@example.org", status=STATUS.sent)
        for _ in range(3000)
    ]
    Email.objects.bulk_create(sent)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE post_office_email")

    with transaction.atomic():
        query = outbox._queued().select_for_update(skip_locked=True).order_by("-priority", "id")
        plan = query[:BATCH_SIZE].explain()

    assert "notifications_outbox_due" in plan, plan


# --- Two workers at once --------------------------------------------------------


class SlowRecordingBackend(LocmemBackend):
    """Like the test backend, and notes which thread sent each message."""

    senders: Counter[int] = Counter()
    lock = threading.Lock()

    def send_messages(self, messages: Any) -> int:
        threading.Event().wait(0.002)  # long enough for the other worker to claim meanwhile
        with self.lock:
            SlowRecordingBackend.senders[threading.get_ident()] += len(messages)
        return super().send_messages(messages)


@pytest.mark.postgres
def test_two_workers_claiming_at_once_send_each_email_exactly_once(settings) -> None:
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": f"{__name__}.SlowRecordingBackend"},
    }
    SlowRecordingBackend.senders.clear()
    _queue_many(300)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            counts.append(outbox_deliver(limit=1000, batch_size=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(ids) == 300
    assert len(set(ids)) == 300
    assert sum(counts) == 300
    assert len(SlowRecordingBackend.senders) == 2, "both workers should have claimed some"
    assert Email.objects.filter(status=STATUS.sent).count() == 300


# --- Retention ----------------------------------------------------------------


def _email_created_days_ago(days: int) -> Email:
    email = Email.objects.create(
        to=["old@example.org"], from_email="x@example.org", status=STATUS.sent
    )
    Email.objects.filter(pk=email.pk).update(created=timezone.now() - dt.timedelta(days=days))
    return email


def test_cleanup_keeps_sent_mail_for_the_configured_number_of_days(settings) -> None:
    settings.OUTBOX_SENT_RETENTION_DAYS = 30
    kept = _email_created_days_ago(29)
    _email_created_days_ago(31)

    assert outbox_cleanup() == 1
    assert list(Email.objects.values_list("pk", flat=True)) == [kept.pk]


def test_cleanup_keeps_sent_mail_for_180_days_by_default() -> None:
    kept = _email_created_days_ago(179)
    _email_created_days_ago(181)

    assert outbox_cleanup() == 1
    assert list(Email.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_privacy_notice_states_the_configured_retention(client, settings) -> None:
    settings.OUTBOX_SENT_RETENTION_DAYS = 45

    assert "45 days" in client.get("/privacy/").content.decode()
