"""The outbox: an email exists only if its change committed, and goes out once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from post_office.models import STATUS, Email

from notifications.outbox import email_queue, outbox_deliver, outbox_pending_count

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(to: str = "jo@example.org") -> Email:
    return email_queue(to=to, template="test_message", context={"name": "Jo"})


def test_email_is_delivered_after_its_transaction_commits() -> None:
    with transaction.atomic():
        _queue()
        assert len(mail.outbox) == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jo@example.org"]
    assert message.subject == "Test message from the leadership programme portal"
    assert "Hello Jo," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html
    assert Email.objects.get().status == STATUS.sent


def test_email_of_a_rolled_back_change_is_never_sent() -> None:
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        _queue()
        raise Abandoned

    assert Email.objects.count() == 0
    assert mail.outbox == []


def test_sweeping_twice_sends_each_email_once(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Queue outside the nudge, as if the broker had been down.
    from post_office.signals import email_queued

    email_queued.receivers, saved = [], email_queued.receivers
    try:
        _queue("a@example.org")
        _queue("b@example.org")
    finally:
        email_queued.receivers = saved
    assert outbox_pending_count() == 2

    assert outbox_deliver() == 2
    assert outbox_deliver() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_failed_delivery_is_requeued_for_a_later_retry(settings) -> None:
    # An SMTP server that refuses connections: port 9 on loopback has no listener.
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    from post_office.connections import connections

    connections.close()
    email = _queue()

    email.refresh_from_db()
    assert email.status == STATUS.requeued
    assert email.number_of_retries == 1
    assert email.scheduled_time is not None
    assert outbox_pending_count() == 0  # not due again until the retry interval has passed


def test_a_transaction_nudges_a_worker_by_task_name_once_committed(monkeypatch) -> None:
    from portal import background

    nudges: list[str] = []
    monkeypatch.setattr(
        background, "enqueue", lambda name, *args, **options: nudges.append(name) or True
    )

    with transaction.atomic():
        _queue("a@example.org")
        _queue("b@example.org")
        _queue("c@example.org")
        assert nudges == []

    assert nudges == ["notifications.tasks.outbox_deliver_task"]


def test_the_outbox_never_imports_tasks() -> None:
    """Services name tasks through portal.background; tasks import services, not back."""
    import ast
    import inspect

    from notifications import outbox

    tree = ast.parse(inspect.getsource(outbox))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[-1] == "tasks"}, imported


def test_a_dead_broker_is_given_up_on_at_once_and_the_email_waits(monkeypatch) -> None:
    """A request that queues email must not hang while kombu backs off from a dead broker."""
    import kombu.utils.functional

    from tests.notifications.broker import unreachable_broker

    back_off: list[float] = []
    real_sleep = kombu.utils.functional.sleep

    def recorded(seconds: float) -> None:
        back_off.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(kombu.utils.functional, "sleep", recorded)

    with unreachable_broker(), transaction.atomic():
        email = _queue()

    assert sum(back_off) == 0, back_off
    email.refresh_from_db()
    assert email.status == STATUS.queued
    assert outbox_deliver() == 1
