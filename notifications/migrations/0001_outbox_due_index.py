"""A partial index on post_office's Email table holding only the rows still to send.

The delivery claim (notifications.outbox._claim) filters on exactly this predicate
and orders by this key, so it reads a handful of index entries instead of every
sent email kept for OUTBOX_SENT_RETENTION_DAYS. Statuses: 2 queued, 3 requeued.
"""

from django.db import migrations

INDEX = "notifications_outbox_due"


class Migration(migrations.Migration):
    dependencies = [
        ("post_office", "0014_alter_email_recipient_delivery_status_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX {INDEX} ON post_office_email (priority DESC, id) "
                "WHERE status IN (2, 3)"
            ),
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
