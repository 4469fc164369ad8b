"""One path for every email the portal sends.

An email is rendered and written to post_office's queue (the outbox) inside the
caller's transaction, so it exists if and only if the change behind it was
committed. After commit we nudge a Celery worker to deliver it (through
portal.background, naming the task: this module never imports tasks); if the
broker is down the nudge is dropped and the periodic sweep delivers it later.

Delivery claims one row at a time with SELECT ... FOR UPDATE SKIP LOCKED, so
any number of workers can sweep at once and each email goes out once.

The subject and the plain-text part are not HTML, so they are rendered without
HTML escaping ("children's", never "children&#x27;s"); the HTML part is escaped
as every page is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from post_office import mail
from post_office.models import STATUS, Email
from post_office.settings import get_log_level, get_max_retries, get_retry_timedelta
from post_office.signals import email_queued
from post_office.utils import cleanup_expired_mails

from portal.background import enqueue_on_commit


def email_queue(
    *,
    to: str | Sequence[str],
    template: str,
    context: Mapping[str, Any],
) -> Email:
    """Render `emails/<template>` (subject, text and HTML parts) and queue it.

    Call it inside the transaction of the change that causes the email.
    """
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain_text(f"emails/{template}.subject.txt", full_context).strip()
    text = _render_plain_text(f"emails/{template}.txt", full_context)
    html = render_to_string(f"emails/{template}.html", full_context)
    recipients = [to] if isinstance(to, str) else list(to)
    return mail.send(
        recipients=recipients,
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=" ".join(subject.split()),
        message=text,
        html_message=html,
        priority="medium",
    )


def _render_plain_text(name: str, context: Mapping[str, Any]) -> str:
    # One place for every text part, so a template cannot forget {% autoescape off %}.
    return Engine.get_default().get_template(name).render(Context(dict(context), autoescape=False))


def _queued() -> Any:
    now = timezone.now()
    return Email.objects.filter(
        Q(scheduled_time__lte=now) | Q(scheduled_time__isnull=True),
        Q(expires_at__gt=now) | Q(expires_at__isnull=True),
        status__in=[STATUS.queued, STATUS.requeued],
    )


def outbox_deliver(*, limit: int = 500) -> int:
    """Send what is due, one claimed row at a time. Returns how many were sent."""
    sent = 0
    for _attempt in range(limit):
        with transaction.atomic():
            email = _queued().select_for_update(skip_locked=True).order_by("priority", "id").first()
            if email is None:
                break
            status = email.dispatch(log_level=get_log_level(), disconnect_after_delivery=False)
            if status == STATUS.sent:
                sent += 1
            elif (email.number_of_retries or 0) < get_max_retries():
                email.number_of_retries = (email.number_of_retries or 0) + 1
                email.status = STATUS.requeued
                email.scheduled_time = timezone.now() + get_retry_timedelta()
                email.save(update_fields=["number_of_retries", "status", "scheduled_time"])
    return sent


def outbox_pending_count() -> int:
    return _queued().count()


def _on_email_queued(sender: object, **kwargs: Any) -> None:
    # Nudge a worker once the email's transaction commits. A dead broker only
    # delays it: the outbox sweep in CELERY_BEAT_SCHEDULE sends it within a minute.
    enqueue_on_commit("notifications.tasks.outbox_deliver_task")


def connect_signals() -> None:
    email_queued.connect(_on_email_queued, dispatch_uid="notifications.outbox")


# Sent mail is kept this long for support questions ("did my offer email go?").
SENT_MAIL_KEPT_FOR = timedelta(days=180)


def outbox_cleanup() -> None:
    """Delete sent mail older than SENT_MAIL_KEPT_FOR, with its attachments."""
    cleanup_expired_mails(timezone.now() - SENT_MAIL_KEPT_FOR, delete_attachments=True)
