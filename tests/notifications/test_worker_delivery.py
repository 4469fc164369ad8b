"""A real Celery worker, a real Redis broker and a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from django.db import transaction
from post_office.models import STATUS, Email

from notifications.outbox import email_queue
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
