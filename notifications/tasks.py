"""Background delivery of the outbox."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from post_office.utils import cleanup_expired_mails

from .outbox import outbox_deliver

# Sent mail is kept this long for support questions ("did my offer email go?").
SENT_MAIL_KEPT_FOR = timedelta(days=180)


@shared_task
def outbox_deliver_task() -> int:
    return outbox_deliver()


@shared_task
def outbox_cleanup_task() -> None:
    cleanup_expired_mails(timezone.now() - SENT_MAIL_KEPT_FOR, delete_attachments=True)
