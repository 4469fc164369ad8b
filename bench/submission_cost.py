"""What one submission costs the web process, in instructions rather than seconds.

This machine's speed drifts by half within minutes, so two timings of the same code can
differ more than two versions of it do. Valgrind's callgrind counts the instructions the
Python process executes, which is the same from run to run for the same code and data
(PostgreSQL's own work, in another process, is not counted: the query count stands for it).

It builds the contention benchmark's data (a first-come cohort of 25 places and ready
applications), then runs the submit request through Django's full middleware stack in a
child process under callgrind: 30 submissions unmeasured (code loaded, places gone), then
MEASURED ones counted, each joining the waiting list as most of a booking rush does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_prof \\
        REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/submission_cost.py

Needs valgrind (Debian's package). Drops and recreates the database's public schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import contention  # noqa: E402 (needs ROOT on the path)

WARM = 30
MEASURED = 50

CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.update({env!r})
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
targets = json.load(open({targets!r}))
client = Client(HTTP_HOST="127.0.0.1")
def submit(batch):
    for application_id, session_key in batch:
        client.cookies["sessionid"] = session_key
        response = client.post(f"/account/applications/{{application_id}}/submit/")
        assert response.status_code == 302, response.status_code
submit(targets[:{warm}])
with CaptureQueriesContext(connection) as one:
    submit(targets[{warm}:{warm} + 1])
print("QUERIES", len(one), flush=True)
print("READY", flush=True)
while not os.path.exists({go!r}):
    time.sleep(0.05)
submit(targets[{warm} + 1:])
print("DONE", flush=True)
while os.path.exists({go!r}):
    time.sleep(0.05)
"""


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    contention._ensure_database(database_url)
    targets = contention._setup(database_url, WARM + 1 + MEASURED, 25, "submit")
    work = Path(tempfile.mkdtemp(prefix="submission-cost-"))
    (work / "targets.json").write_text(json.dumps(targets))
    go = work / "go"
    child = CHILD.format(
        root=str(ROOT),
        env={**contention.BENCH_ENV, "DATABASE_URL": database_url},
        targets=str(work / "targets.json"),
        warm=WARM,
        go=str(go),
    )
    out = work / "callgrind.out"
    log = (work / "child.log").open("w")
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, "-c", child],
        cwd=ROOT, stdout=log, stderr=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    printed = work / "child.log"
    _wait_for(printed, "READY", process)
    subprocess.run(
        ["callgrind_control", "-i", "on", str(process.pid)], check=True, capture_output=True
    )
    go.touch()
    _wait_for(printed, "DONE", process)
    subprocess.run(
        ["callgrind_control", "-i", "off", str(process.pid)], check=True, capture_output=True
    )
    go.unlink()
    process.wait(timeout=600)
    totals = sum(
        int(line.split()[1])
        for path in work.glob("callgrind.out*")
        for line in path.read_text().splitlines()
        if line.startswith("totals:")
    )
    queries = next(
        int(line.split()[1])
        for line in printed.read_text().splitlines()
        if line.startswith("QUERIES")
    )
    print(json.dumps({
        "submissions_measured": MEASURED,
        "instructions_per_submission": totals // MEASURED,
        "queries_per_submission": queries,
        "outcome": "waiting list (the cohort's places were taken by the warm-up)",
    }, indent=2))  # fmt: skip


def _instrument(process: subprocess.Popen[bytes], switch: str) -> None:
    command = ["callgrind_control", "-i", switch, str(process.pid)]
    subprocess.run(command, check=True, capture_output=True)


def _wait_for(path: Path, word: str, process: subprocess.Popen[bytes]) -> None:
    while word not in path.read_text():
        if process.poll() is not None:
            sys.exit(f"the measured process ended early: {path}")
        time.sleep(0.5)


if __name__ == "__main__":
    main()
