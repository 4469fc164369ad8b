"""Outbox drain benchmark: N queued emails delivered by a real Celery worker to an SMTP sink.

Builds a fresh PostgreSQL schema, writes N emails to the outbox (as the services do, one
rendered message with its own recipient and Message-ID each) and, as the outbox keeps
them, SENT already-sent emails beside them. Starts an SMTP server on loopback (aiosmtpd)
that counts every message by its Message-ID, and one Celery worker that delivers
through it (prefork with `--processes` processes, 2 by default as on a 2-core host; 1 is
the solo pool); nudges the worker once, and times until the sink has N messages.
Exits non-zero unless every email arrived exactly once and every row is marked sent.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_outbox_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 CELERY_QUEUE=outbox_bench \\
        .venv/bin/python bench/outbox.py --emails 10000 --sent 50000

(Like the other benchmarks it drops and recreates the `public` schema of the database
it is given.)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.contention import BENCH_ENV, _ensure_database  # noqa: E402


class Sink:
    """An SMTP server's message handler that counts each Message-ID it receives."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content)
        with self.lock:
            self.ids[str(message["Message-ID"])] += 1
        return "250 OK"

    def received(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _setup(emails: int, sent: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from post_office.models import STATUS, Email

    from notifications.outbox import _row, email_render

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    rendered = email_render(
        to="someone@example.org", template="test_message", context={"name": "Sam"}
    )
    for start in range(0, sent, 5000):
        old = [_row(rendered) for _ in range(min(5000, sent - start))]
        for row in old:
            row.status = STATUS.sent
        Email.objects.bulk_create(old)
    for start in range(0, emails, 2000):
        rows = []
        for n in range(start, min(emails, start + 2000)):
            row = _row(rendered)
            row.to = [f"person{n}@example.org"]
            rows.append(row)
        Email.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE post_office_email")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--sent", type=int, default=50_000, help="sent mail kept beside them")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--processes", type=int, default=2, help="worker processes")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("This benchmark needs DATABASE_URL=postgres://... and REDIS_URL")
    _ensure_database(database_url)

    from aiosmtpd.controller import Controller

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, **BENCH_ENV, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    os.environ.update(env)
    _setup(args.emails, args.sent)

    from django.db import connection
    from post_office.models import STATUS, Email

    from portal.background import enqueue
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker",
         "--pool=solo" if args.processes == 1 else "--pool=prefork",
         f"--concurrency={args.processes}", "--loglevel=WARNING",
         "-n", f"outbox-bench-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        time.sleep(6)  # connected and consuming
        started = time.perf_counter()
        enqueue("notifications.tasks.outbox_deliver_task")
        deadline = time.monotonic() + args.timeout
        while sink.received() < args.emails and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()

    statuses = Counter(Email.objects.values_list("status", flat=True))
    connection.close()
    counts = Counter(sink.ids.values())
    summary = {
        "emails": args.emails,
        "worker_processes": args.processes,
        "sent_mail_kept": args.sent,
        "received": sink.received(),
        "distinct_message_ids": len(sink.ids),
        "received_more_than_once": sum(n for times, n in counts.items() if times > 1),
        "rows_sent": statuses.get(STATUS.sent, 0) - args.sent,
        "rows_not_sent": sum(n for s, n in statuses.items() if s != STATUS.sent),
        "seconds": round(elapsed, 2),
        "emails_per_second": round(sink.received() / elapsed, 1),
    }
    print(json.dumps(summary, indent=2))
    ok = (
        summary["distinct_message_ids"] == args.emails
        and summary["received"] == args.emails
        and summary["rows_not_sent"] == 0
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
