"""The booking race, portal and pretix, in one run: same load, same machine, and the ratios.

Runs bench/contention.py (first-come submit scenario, --celery-worker) and then
bench/pretix_peer.py, one after the other so they never share the two cores, each with the
same requests, places, gunicorn workers and clients at a time. Prints both summaries and

    portal_rps_over_pretix   portal req/s ÷ pretix req/s   (the issue aims for ≥ 1.5)
    portal_p95_over_pretix   portal p95 ÷ pretix p95       (the issue aims for ≤ 0.5)

as JSON. Exits non-zero if either system's correctness check failed; the targets are
reported, never asserted: timings on a shared machine are for reading, not for gating.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
    PRETIX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pretix_bench \\
    PRETIX_REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/booking_race.py --requests 500 --capacity 25 --concurrency 50

The portal side runs under this interpreter (the project's venv); pretix under its own
(see pretix_peer.py), which the first run installs and migrates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def _run(command: list[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    """Run one benchmark; its stdout ends with one indented JSON object. Stderr passes through."""
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    output = "\n" + done.stdout
    try:
        # The servers it starts share its stdout, so the summary is the last "{" line on.
        summary = json.loads(output[output.rindex("\n{\n") :])
    except ValueError:
        summary = {"error": f"no JSON summary (exit {done.returncode})", "output": output[-2000:]}
    return done.returncode, summary


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--capacity", type=int, default=25)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=50, help="clients at a time")
    parser.add_argument("--pretix-venv", help="pretix's own virtualenv (default: see pretix_peer)")
    args = parser.parse_args()
    shape = [
        "--requests", str(args.requests), "--capacity", str(args.capacity),
        "--workers", str(args.workers), "--concurrency", str(args.concurrency),
    ]  # fmt: skip

    load_before = _loadavg()
    portal_rc, portal = _run(
        [sys.executable, str(BENCH / "contention.py"), "--scenario", "submit", "--celery-worker",
         *shape]
    )  # fmt: skip
    peer = [sys.executable, str(BENCH / "pretix_peer.py"), *shape]
    if args.pretix_venv:
        peer += ["--venv", args.pretix_venv]
    pretix_rc, pretix = _run(peer)

    ratios: dict[str, float | None] = {
        "portal_rps_over_pretix": None,
        "portal_p95_over_pretix": None,
    }
    try:
        ratios["portal_rps_over_pretix"] = round(
            portal["requests_per_second"] / pretix["requests_per_second"], 2
        )
        ratios["portal_p95_over_pretix"] = round(
            portal["latency_ms"]["p95"] / pretix["latency_ms"]["p95"], 2
        )
    except (KeyError, TypeError, ZeroDivisionError):
        pass  # one side did not finish; its summary says why
    portal_ok = portal_rc == 0
    pretix_ok = pretix_rc == 0 and bool(pretix.get("correct"))
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before,
        "load_average_after": _loadavg(),
        "portal": portal,
        "pretix": pretix,
        **ratios,
        "targets_met": {
            "rps_at_least_1_5x": (ratios["portal_rps_over_pretix"] or 0) >= 1.5,
            "p95_at_most_half": (ratios["portal_p95_over_pretix"] or 99) <= 0.5,
        },
        "portal_correct": portal_ok,
        "pretix_correct": pretix_ok,
    }
    print(json.dumps(result, indent=2))
    sys.exit(0 if portal_ok and pretix_ok else 1)


if __name__ == "__main__":
    main()
