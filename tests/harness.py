"""Real services for tests about background work: an SMTP server and a Celery worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SmtpInbox:
    """What a real SMTP server on loopback has received."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[SmtpInbox]:
    inbox = SmtpInbox(host="127.0.0.1", port=free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def database_url_for_subprocess() -> str:
    """The URL of the database this test run is using (the test database, not the real one)."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("a separate worker process needs a shared PostgreSQL database")
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def subprocess_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="test-worker-secret-key-that-is-long-and-random-enough-0123456789",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url_for_subprocess(),
        REDIS_URL=settings.REDIS_URL,
        # A run without Redis (a laptop) still starts its helper processes.
        ALLOW_NO_REDIS="0" if settings.REDIS_URL else "1",
    )
    env.update(overrides)
    return env


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def celery_worker(
    *,
    email_url: str = "memorymail://",
    beat: bool = False,
    timeout: float = 60,
    extra_env: dict[str, str] | None = None,
    processes: int = 1,
) -> Iterator[WorkerProcess]:
    """Start `celery worker` against the test database and Redis; stop it afterwards.

    One process (solo pool) unless `processes` asks for a prefork pool of that many.
    """
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)  # type: ignore[attr-defined]
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    log_file = tempfile.NamedTemporaryFile(prefix="celery-", suffix=".log", delete=False)  # noqa: SIM115
    log_path = Path(log_file.name)
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker",
        "--pool=solo" if processes == 1 else "--pool=prefork", f"--concurrency={processes}",
        "--loglevel=INFO", "-n", name,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    if beat:
        command += ["--beat", "--schedule", str(log_path.with_suffix(".beat"))]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=subprocess_env(EMAIL_URL=email_url, **(extra_env or {})),
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    worker = WorkerProcess(process=process, log_path=log_path)
    try:
        deadline = time.monotonic() + timeout
        while "ready." not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start:\n{worker.log()}")
            time.sleep(0.2)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()
