"""One path for every email the portal sends.

An email is rendered and written to post_office's queue (the outbox) inside the
caller's transaction, so it exists if and only if the change behind it was
committed. Rendering can happen before the transaction (`email_render`), so a
service that holds a lock only writes the row (`email_write`). After commit we
nudge a Celery worker to deliver (through portal.background, naming the task:
this module never imports tasks): one nudge per transaction however many emails
it wrote, and none while a nudge is already waiting for a worker. If the broker
is down the nudge is dropped and the periodic sweep delivers it later.

Delivery claims due rows in batches with SELECT ... FOR UPDATE SKIP LOCKED
LIMIT n, through a partial index that holds only queued rows (migration 0001),
so a claim costs the same with 10 or 10 million sent emails kept, any number of
workers can sweep at once, and each email goes out once.

The subject and the plain-text part are not HTML, so they are rendered without
HTML escaping ("children's", never "children&#x27;s"); the HTML part is escaped
as every page is. Our parts are rendered once, by us: post_office's mail.send()
would render them again as templates, so text an applicant typed ("{{", "{%")
would be read as template code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from post_office.connections import connections
from post_office.models import PRIORITY, STATUS, Email, Log
from post_office.settings import (
    get_default_mailer,
    get_log_level,
    get_max_retries,
    get_message_id_enabled,
    get_message_id_fqdn,
    get_retry_timedelta,
)
from post_office.signals import email_queued
from post_office.utils import cleanup_expired_mails

from portal import background

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.tasks.outbox_deliver_task"
# The rows the partial index "notifications_outbox_due" holds (migration 0001).
DUE_STATUSES = (STATUS.queued, STATUS.requeued)
# A claim locks this many rows; a run stops after DELIVERY_LIMIT and nudges again.
BATCH_SIZE = 50
DELIVERY_LIMIT = 500
# post_office's LOG_LEVEL: 1 logs failures, 2 logs every delivery too.
LOG_FAILURES, LOG_EVERY_DELIVERY = 1, 2
# Set while a nudge waits for a worker; the worker clears it before it claims, so an
# email committed after that is either claimed by that run or nudges again. Expires
# in case the nudge was lost; the minute sweep covers that gap anyway.
NUDGE_WAITING_KEY = "notifications:outbox:nudge-waiting"
NUDGE_WAITING_SECONDS = 60


@dataclass(frozen=True)
class RenderedEmail:
    """An email ready to be written to the outbox: rendered, nothing looked up."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str


def email_render(
    *, to: str | Sequence[str], template: str, context: Mapping[str, Any]
) -> RenderedEmail:
    """Render `emails/<template>` (subject, text and HTML parts). Touches no table."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain_text(f"emails/{template}.subject.txt", full_context)
    return RenderedEmail(
        to=(to,) if isinstance(to, str) else tuple(to),
        subject=" ".join(subject.split()),
        text=_render_plain_text(f"emails/{template}.txt", full_context),
        html=render_to_string(f"emails/{template}.html", full_context),
    )


def email_write(*, rendered: RenderedEmail) -> Email:
    """Write a rendered email to the outbox (one INSERT). Call inside the change's transaction."""
    email = _row(rendered)
    email.save()
    email_queued.send(sender=Email, emails=[email])
    return email


def emails_write(*, rendered: Sequence[RenderedEmail]) -> list[Email]:
    """Write several rendered emails in one INSERT (a service that holds a lock)."""
    rows = [_row(one) for one in rendered]
    for row in rows:
        row.full_clean()  # what Email.save() checks, which bulk_create skips
    created = Email.objects.bulk_create(rows)
    if created:
        email_queued.send(sender=Email, emails=created)
    return created


def _row(rendered: RenderedEmail) -> Email:
    return Email(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(rendered.to),
        subject=rendered.subject,
        message=rendered.text,
        html_message=rendered.html,
        priority=PRIORITY.medium,
        status=STATUS.queued,
        message_id=make_msgid(domain=get_message_id_fqdn()) if get_message_id_enabled() else None,
    )


def email_queue(
    *,
    to: str | Sequence[str],
    template: str,
    context: Mapping[str, Any],
) -> Email:
    """Render `emails/<template>` and queue it.

    Call it inside the transaction of the change that causes the email. A service
    that holds a lock renders first with `email_render` and writes with `email_write`.
    """
    return email_write(rendered=email_render(to=to, template=template, context=context))


def _render_plain_text(name: str, context: Mapping[str, Any]) -> str:
    # One place for every text part, so a template cannot forget {% autoescape off %}.
    return Engine.get_default().get_template(name).render(Context(dict(context), autoescape=False))


def _queued() -> QuerySet[Email]:
    # `status IN (queued, requeued)` is the partial index's predicate word for word,
    # so PostgreSQL reads that index and never the sent rows.
    now = timezone.now()
    return Email.objects.filter(
        Q(scheduled_time__lte=now) | Q(scheduled_time__isnull=True),
        Q(expires_at__gt=now) | Q(expires_at__isnull=True),
        status__in=DUE_STATUSES,
    )


def _claim(size: int) -> list[Email]:
    """Lock up to `size` due emails no other worker holds. Call inside a transaction."""
    return list(
        _queued()
        .select_for_update(skip_locked=True)
        .order_by("-priority", "id")
        .prefetch_related("attachments")[:size]
    )


def outbox_deliver(*, limit: int = DELIVERY_LIMIT, batch_size: int = BATCH_SIZE) -> int:
    """Send what is due, a claimed batch at a time. Returns how many were sent."""
    return _deliver(limit=limit, batch_size=batch_size)[0]


def _deliver(
    *, limit: int, batch_size: int, on_backlog: Callable[[], None] | None = None
) -> tuple[int, int]:
    """Deliver up to `limit` due emails. Returns (sent, claimed).

    Each batch is one transaction: its rows stay locked while they are sent and are
    marked sent in one UPDATE before commit. A worker that dies mid-batch rolls the
    batch back, so those emails go out again (at least once, never lost); a worker that
    is merely slow only holds its own batch, which other workers skip.
    `on_backlog` is called once, after the first batch is committed, if it was full and
    the run goes on.
    """
    sent = claimed = 0
    try:
        while claimed < limit:
            size = min(batch_size, limit - claimed)
            first = not claimed
            with transaction.atomic():
                batch = _claim(size)
                claimed += len(batch)
                sent += _dispatch(batch) if batch else 0
            if len(batch) < size:
                # Nothing else is due, or what is due is locked by another worker.
                break
            if first and on_backlog is not None and claimed < limit:
                on_backlog()
    finally:
        # One SMTP connection per run, not one per email, and none left idle between runs.
        connections.close()
    return sent, claimed


def _dispatch(batch: list[Email]) -> int:
    sent_ids: list[int] = []
    failed: list[tuple[Email, Exception]] = []
    for email in batch:
        try:
            message = email.email_message()
            if message.recipients():
                connections[email.backend_alias or get_default_mailer()].send_messages([message])
        except Exception as error:  # any transport error: the email is retried later
            logger.warning("Could not send email %s: %s", email.pk, error)
            # The connection may be half-broken; the next email opens a fresh one.
            connections.close()
            failed.append((email, error))
        else:
            sent_ids.append(email.pk)
    now = timezone.now()
    if sent_ids:
        Email.objects.filter(pk__in=sent_ids).update(status=STATUS.sent, last_updated=now)
    if failed:
        _record_failures(failed, now)
    if sent_ids and get_log_level() >= LOG_EVERY_DELIVERY:
        Log.objects.bulk_create(Log(email_id=pk, status=STATUS.sent) for pk in sent_ids)
    return len(sent_ids)


def _record_failures(failed: list[tuple[Email, Exception]], now: Any) -> None:
    for email, error in failed:
        if get_log_level() >= LOG_FAILURES:
            Log.objects.create(
                email=email,
                status=STATUS.failed,
                message=str(error),
                exception_type=type(error).__name__,
            )
        retries = email.number_of_retries or 0
        if retries < get_max_retries():
            Email.objects.filter(pk=email.pk).update(
                status=STATUS.requeued,
                number_of_retries=retries + 1,
                scheduled_time=now + get_retry_timedelta(),
                last_updated=now,
            )
        else:
            Email.objects.filter(pk=email.pk).update(status=STATUS.failed, last_updated=now)


def outbox_pending_count() -> int:
    return _queued().count()


def outbox_run() -> int:
    """What a nudge (or the minute sweep) does: deliver what is due, and nudge again if
    the run stopped at its limit with more still due.

    A run whose first batch was full has found a backlog, so it asks for help once
    that batch is sent: a free worker process takes the nudge and drains beside it
    (batches are claimed with SKIP LOCKED), asking in turn, while the backlog lasts.
    The nudge marker keeps that to one waiting nudge at a time.
    """
    _nudge_taken()
    help_with_backlog = _nudge if background.runs_on_workers() else None
    sent, claimed = _deliver(
        limit=DELIVERY_LIMIT, batch_size=BATCH_SIZE, on_backlog=help_with_backlog
    )
    if claimed >= DELIVERY_LIMIT:
        # Straight to the broker, past the marker: with several workers draining a
        # backlog, each keeps its own run going (a spare run finds nothing and stops).
        background.enqueue(DELIVER_TASK)
    return sent


def _nudge_taken() -> None:
    try:
        cache.delete(NUDGE_WAITING_KEY)
    except Exception as error:  # a cache outage must not stop delivery
        logger.warning("Could not clear the outbox nudge marker: %s", error)


def _nudge(*, countdown: float = 0) -> None:
    try:
        first = cache.add(NUDGE_WAITING_KEY, 1, timeout=NUDGE_WAITING_SECONDS)
    except Exception as error:  # without the cache, nudge anyway: a spare task is harmless
        logger.warning("Could not check the outbox nudge marker: %s", error)
        first = True
    if first and not background.enqueue(DELIVER_TASK, countdown=countdown):
        # The broker did not take it: let the next email try again rather than wait.
        _nudge_taken()


def _nudge_gathering() -> None:
    """The nudge of a committed email: the run starts OUTBOX_GATHER_SECONDS later.

    While it waits the marker stays set, so every email committed meanwhile is sent
    by that one run (one claim, one UPDATE, one task) instead of each transaction
    waking the worker for its own one or two. In a rush of bookings that is most of
    the worker's work gone, for an email that leaves up to that long later.
    """
    _nudge(countdown=settings.OUTBOX_GATHER_SECONDS)


def _on_email_queued(sender: object, **kwargs: Any) -> None:
    # Nudge a worker once the email's transaction commits, once per transaction
    # however many emails it wrote. A dead broker only delays it: the outbox sweep
    # in CELERY_BEAT_SCHEDULE sends it within a minute.
    background.call_once_on_commit(_nudge_gathering)


def connect_signals() -> None:
    email_queued.connect(_on_email_queued, dispatch_uid="notifications.outbox")


def sent_mail_kept_for() -> timedelta:
    """How long sent mail is kept for support questions ("did my offer email go?").

    OUTBOX_SENT_RETENTION_DAYS, 180 by default.
    """
    return timedelta(days=settings.OUTBOX_SENT_RETENTION_DAYS)


def outbox_cleanup() -> int:
    """Delete mail older than sent_mail_kept_for(), with its attachments. Returns how many."""
    deleted, _attachments = cleanup_expired_mails(
        timezone.now() - sent_mail_kept_for(), delete_attachments=True
    )
    return int(deleted)
