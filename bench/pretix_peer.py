"""The same booking race against pretix: 500 orders for a 25-place quota, 50 clients at a time.

pretix is the reference for "many people, few places" in Django, so the portal's booking path
is measured against it on the same machine, with the same load generator (bench/load.py) and
the same server shape: gunicorn with 4 sync workers, one Celery worker (solo pool) delivering
the confirmation emails during the race, PostgreSQL and Redis.

pretix lives in a virtualenv of its own outside the project (by default
~/.cache/portal-bench/pretix-<version>), never in the project's .venv: it pins its own
Django and friends. The script installs it there if missing, writes a pretix.cfg beside it,
creates the database if missing and migrates it (the first time takes several minutes),
then makes an organizer, an API token with every permission, and a fresh live event whose
one free product has a quota of CAPACITY. Each client POSTs an order for one place to
/api/v1/organizers/<o>/events/<e>/orders/ with send_email on. A free order is paid at once,
as the portal's first-come booking is an enrolment at once, and pretix queues its
confirmation email just as the portal does. The emails go to a small SMTP sink in this
process, which counts them.

Afterwards it checks, through pretix's API: exactly CAPACITY orders, every other request
refused with pretix's quota error (a 400), no server errors. Prints JSON; exits non-zero
if a check fails.

    PRETIX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pretix_bench \\
    PRETIX_REDIS_URL=redis://127.0.0.1:6379/4 \\
        python3 bench/pretix_peer.py --requests 500 --capacity 25 --concurrency 50

Any Python 3.11+ runs it (standard library only); pretix's own commands run in its venv.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Prepared, fire, summarise, wait_for_port  # noqa: E402 (needs ROOT on the path)

PRETIX_VERSION = "2026.8.0"
DEFAULT_VENV = Path.home() / ".cache" / "portal-bench" / f"pretix-{PRETIX_VERSION}"
ORGANIZER = "bench"
QUOTA_ERROR = "There is not enough quota available"  # pretix's message, in its 400 body

# Run inside pretix's venv: the organizer and a token come from the ORM, because the API
# cannot create an organizer; everything else is made through the API.
SETUP_ORGANIZER = """
import json, django
django.setup()
from django_scopes import scopes_disabled
from pretix.base.models import Organizer, Team
with scopes_disabled():
    organizer, _ = Organizer.objects.get_or_create(slug=%(slug)r, defaults={"name": "Benchmark"})
    team, _ = Team.objects.get_or_create(
        organizer=organizer, name="Benchmark API",
        defaults={"all_events": True, "all_event_permissions": True,
                  "all_organizer_permissions": True},
    )
    token = team.tokens.create(name="booking race")
print(json.dumps({"token": token.token}))
"""

ENSURE_DATABASE = """
import sys, psycopg2
conn = psycopg2.connect(host=%(host)r, port=%(port)r, user=%(user)r, password=%(password)r,
                        dbname="postgres")
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %%s", [%(name)r])
    if cursor.fetchone() is None:
        cursor.execute('CREATE DATABASE "%(name)s"')
    elif %(fresh)r:
        conn.close()
        conn = psycopg2.connect(host=%(host)r, port=%(port)r, user=%(user)r,
                                password=%(password)r, dbname=%(name)r)
        conn.autocommit = True
        conn.cursor().execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
conn.close()
"""


def ensure_pretix(venv: Path) -> Path:
    """pretix and gunicorn installed in `venv`; returns its python."""
    venv = venv.expanduser().resolve()
    if venv == ROOT or ROOT in venv.parents:
        sys.exit(f"{venv} is inside the project: pretix gets a virtualenv of its own elsewhere")
    python = venv / "bin" / "python"
    if not python.exists():
        # The base interpreter, not this venv's: a venv made from a venv still works, but
        # stays tied to the project's.
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import pretix, gunicorn; print(pretix.__version__)"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if probe.stdout.strip() != PRETIX_VERSION:
        print(f"installing pretix {PRETIX_VERSION} into {venv} ...", file=sys.stderr)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, f"pretix=={PRETIX_VERSION}", "gunicorn"], check=True)
    return python


def write_config(home: Path, database_url: str, redis_url: str, port: int, smtp_port: int) -> Path:
    db = urllib.parse.urlparse(database_url)
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    config = home / "pretix.cfg"
    config.write_text(
        f"""[pretix]
instance_name=pretix benchmark
url=http://127.0.0.1:{port}
datadir={data}
currency=EUR
ecb_rates=off
# Not WARNING: pretix would log each refused order (a 400) twice to the console, a cost
# the portal's refusals (a redirect to the waiting list) do not pay.
loglevel=ERROR

[django]
secret=benchmark-only-secret-key-that-is-long-and-random-0123456789
debug=off

[database]
backend=postgresql
name={db.path.lstrip("/")}
user={db.username or "postgres"}
password={db.password or ""}
host={db.hostname or "127.0.0.1"}
port={db.port or 5432}

[redis]
location={redis_url}
sessions=true

[celery]
broker={redis_url}
backend={redis_url}

[mail]
host=127.0.0.1
port={smtp_port}
from=tickets@example.com
"""
    )
    return config


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend to hand over a message, which is then dropped."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                while (data := self.rfile.readline()) and data != b".\r\n":
                    pass
                with self.server.lock:  # type: ignore[attr-defined]
                    self.server.delivered += 1  # type: ignore[attr-defined]
                self.wfile.write(b"250 kept\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSink)
        self.lock = threading.Lock()
        self.delivered = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base + "/api/v1/organizers/" + ORGANIZER
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> dict:  # type: ignore[type-arg]
        request = urllib.request.Request(  # noqa: S310 (plain http to loopback)
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            headers=self.headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")  # type: ignore[no-any-return]
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from error


def make_event(api: Api, capacity: int) -> tuple[str, int, int]:
    """A fresh live event with one free product and a quota of `capacity`."""
    slug = "race" + dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    api.call("POST", "/events/", {
        "name": {"en": "Women in Leadership, Autumn"}, "slug": slug, "live": False,
        "currency": "EUR", "date_from": starts.isoformat(), "has_subevents": False,
    })  # fmt: skip
    item = api.call("POST", f"/events/{slug}/items/", {
        "name": {"en": "Place"}, "default_price": "0.00", "admission": True, "active": True,
    })  # fmt: skip
    quota = api.call("POST", f"/events/{slug}/quotas/", {
        "name": "Places", "size": capacity, "items": [item["id"]], "variations": [],
        "subevent": None,
    })  # fmt: skip
    api.call("PATCH", f"/events/{slug}/", {"live": True})
    return slug, int(item["id"]), int(quota["id"])


def run(args: argparse.Namespace) -> dict:  # type: ignore[type-arg]
    python = ensure_pretix(Path(args.venv))
    venv = python.parent.parent
    home = venv.parent / f"{venv.name}-home"  # config and data dir, beside the venv
    bin_dir = python.parent
    port = _free_port()
    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    config = write_config(home, args.database_url, args.redis_url, port, sink.server_address[1])
    env = {
        **os.environ,
        "PRETIX_CONFIG_FILE": str(config),
        "DJANGO_SETTINGS_MODULE": "pretix.settings",
        "PYTHONWARNINGS": "ignore",
    }
    db = urllib.parse.urlparse(args.database_url)
    subprocess.run(
        [str(python), "-c", ENSURE_DATABASE % {
            "host": db.hostname or "127.0.0.1", "port": db.port or 5432,
            "user": db.username or "postgres", "password": db.password or "",
            "name": db.path.lstrip("/"), "fresh": args.fresh,
        }],
        env=env, check=True,
    )  # fmt: skip
    print("migrating pretix's database ...", file=sys.stderr)
    subprocess.run([str(python), "-m", "pretix", "migrate", "--noinput"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    made = subprocess.run(
        [str(python), "-c", SETUP_ORGANIZER % {"slug": ORGANIZER}],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    token = json.loads(made.stdout.strip().splitlines()[-1])["token"]

    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "pretix.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120",
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "pretix.celery_app", "worker", "--pool=solo",
         "--loglevel=WARNING", "-n", f"pretix-bench-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60, what="pretix's gunicorn")
        base = f"http://127.0.0.1:{port}"
        api = Api(base, token)
        event, item, quota = make_event(api, args.capacity)
        time.sleep(5)  # as the portal's benchmark does: the worker is consuming by now
        requests = [
            Prepared(
                "POST",
                f"{api.base}/events/{event}/orders/",
                json.dumps(
                    {
                        "email": f"applicant{i}@example.com",
                        "locale": "en",
                        "send_email": True,
                        "positions": [
                            {"item": item, "attendee_name_parts": {"full_name": f"Applicant {i}"}}
                        ],
                    }
                ).encode(),
                api.headers,
            )
            for i in range(args.requests)
        ]
        started = time.perf_counter()
        results = fire(requests, concurrency=args.concurrency, keep_body=True)
        elapsed = time.perf_counter() - started

        orders = api.call("GET", f"/events/{event}/orders/?page_size=1")["count"]
        paid = api.call("GET", f"/events/{event}/orders/?status=p&page_size=1")["count"]
        availability = api.call("GET", f"/events/{event}/quotas/{quota}/availability/")
        # Emails are sent after the race by the one worker; give it a while to catch up.
        deadline = time.monotonic() + 60
        while sink.delivered < orders and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
        sink.shutdown()

    refused = [r for r in results if r.status == 400]
    quota_refusals = sum(QUOTA_ERROR in r.body.decode(errors="replace") for r in refused)
    summary = {
        "system": f"pretix {PRETIX_VERSION}",
        "requests": args.requests,
        "capacity": args.capacity,
        "gunicorn_workers": args.workers,
        "concurrency": args.concurrency or args.requests,
        "celery_worker": True,
        "orders": orders,
        "paid_orders": paid,
        "quota_available": availability.get("available_number"),
        "created": sum(r.status == 201 for r in results),
        "refused_for_quota": quota_refusals,
        "emails_delivered": sink.delivered,
        **summarise(results, elapsed),
    }
    summary["correct"] = (
        orders == args.capacity
        and paid == args.capacity
        and summary["created"] == args.capacity
        and quota_refusals == args.requests - args.capacity
        and summary["server_errors"] == 0
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=25)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=50, help="clients at a time (0: all)")
    parser.add_argument("--venv", default=str(DEFAULT_VENV), help="pretix's own virtualenv")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "PRETIX_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pretix_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("PRETIX_REDIS_URL", "redis://127.0.0.1:6379/4")
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop pretix's schema first (migrating takes minutes)"
    )
    args = parser.parse_args()
    summary = run(args)
    print(json.dumps(summary, indent=2))
    sys.exit(0 if summary["correct"] else 1)


if __name__ == "__main__":
    main()
