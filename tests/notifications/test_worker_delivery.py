"""A real Celery worker, a real Redis broker and a real SMTP server on loopback."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import transaction
from post_office.models import STATUS, Email

from notifications.outbox import BATCH_SIZE, DELIVER_TASK, email_queue
from portal.background import enqueue
from portal.celery import app as celery_app
from tests.harness import celery_worker, smtp_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_until_sent(email_id: int, timeout: float = 30) -> Email:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email = Email.objects.get(pk=email_id)
        if email.status == STATUS.sent:
            return email
        time.sleep(0.2)
    return Email.objects.get(pk=email_id)


def test_worker_delivers_a_queued_email_over_smtp() -> None:
    celery_app.conf.task_always_eager = False
    with (
        smtp_server() as inbox,
        celery_worker(email_url=f"smtp://{inbox.host}:{inbox.port}") as worker,
    ):
        with transaction.atomic():
            email = email_queue(
                to="amira@example.org", template="test_message", context={"name": "Amira"}
            )

        assert _wait_until_sent(email.pk).status == STATUS.sent, worker.log()
        messages = inbox.wait_for(1)

    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "amira@example.org"
    assert message["Subject"] == "Test message from the leadership programme portal"
    parts = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= parts
    assert "notifications.tasks.outbox_deliver_task" in worker.log()


def test_two_worker_processes_drain_a_backlog_together_and_send_each_email_once() -> None:
    celery_app.conf.task_always_eager = False
    backlog = 3 * BATCH_SIZE
    with transaction.atomic():  # its nudge is purged as the worker starts
        for n in range(backlog):
            email_queue(to=f"person{n}@example.org", template="test_message", context={"name": n})
    with (
        smtp_server() as inbox,
        celery_worker(email_url=f"smtp://{inbox.host}:{inbox.port}", processes=2) as worker,
    ):
        enqueue(DELIVER_TASK)
        messages = inbox.wait_for(backlog)
        time.sleep(1)  # a second copy of anything would arrive now
        log = worker.log()

    ids = Counter(str(message["Message-ID"]) for message in inbox.messages)
    assert len(messages) == backlog
    assert len(ids) == backlog and set(ids.values()) == {1}
    assert not Email.objects.exclude(status=STATUS.sent).exists()
    # The first run found a full batch and asked for help: the task ran more than once.
    assert log.count(f"Task {DELIVER_TASK}[") >= 4, log  # received and succeeded, twice


def test_emails_committed_while_a_nudge_waits_go_out_in_that_one_run(settings) -> None:
    celery_app.conf.task_always_eager = False
    settings.OUTBOX_GATHER_SECONDS = 1.5
    with (
        smtp_server() as inbox,
        celery_worker(email_url=f"smtp://{inbox.host}:{inbox.port}") as worker,
    ):
        for n in range(5):  # five bookings' transactions, well inside the gathering time
            with transaction.atomic():
                email_queue(
                    to=f"person{n}@example.org", template="test_message", context={"name": n}
                )
        messages = inbox.wait_for(5)
        time.sleep(1)  # a later run, or a second copy, would show now
        log = worker.log()

    assert sorted(str(m["To"]) for m in messages) == [f"person{n}@example.org" for n in range(5)]
    assert len(inbox.messages) == 5
    assert log.count(f"Task {DELIVER_TASK}[") == 2, log  # one run: received and succeeded
