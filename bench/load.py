"""The load generator every booking benchmark shares, so two systems are measured alike.

Standard library only (urllib and threads): the pretix peer runs it under pretix's own
virtualenv, importing this file by path, and the portal's benchmarks under the project's.

A request is prepared in full before the clock starts (method, URL, body bytes, headers),
so building it is not timed. Redirects are not followed: a 302 is the answer being measured.
A connection error or timeout counts as status -1.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import NamedTuple

TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Prepared:
    method: str
    url: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Result(NamedTuple):
    status: int
    seconds: float
    body: bytes  # empty unless fire() was asked to keep bodies


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _send(prepared: Prepared, keep_body: bool) -> Result:
    request = urllib.request.Request(  # noqa: S310 (plain http to loopback)
        prepared.url,
        data=prepared.body or None,
        headers=prepared.headers,
        method=prepared.method,
    )
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    except OSError:
        body, status = b"", -1
    return Result(status, time.perf_counter() - started, body if keep_body else b"")


def fire(requests: list[Prepared], concurrency: int = 0, keep_body: bool = False) -> list[Result]:
    """Send every request; return (status, seconds, body) for each, in the order given.

    concurrency 0 starts one thread per request and releases them all at one instant
    (a barrier). concurrency N starts N clients, released together, each taking the next
    unsent request as soon as its last one was answered, so at most N are in flight.
    """
    results = [Result(0, 0.0, b"")] * len(requests)
    if not concurrency:
        barrier = threading.Barrier(len(requests))

        def at_once(index: int) -> None:
            barrier.wait()
            results[index] = _send(requests[index], keep_body)

        threads = [threading.Thread(target=at_once, args=(i,)) for i in range(len(requests))]
    else:
        pending = iter(range(len(requests)))
        lock = threading.Lock()
        start = threading.Barrier(concurrency)  # the clients start together, too

        def client() -> None:
            start.wait()
            while True:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                results[index] = _send(requests[index], keep_body)

        threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of values (share 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(results: list[Result], wall_seconds: float) -> dict[str, object]:
    """Throughput, latency percentiles (ms) and status counts of one race."""
    latencies = [result.seconds * 1000 for result in results]
    statuses: dict[int, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return {
        "wall_seconds": round(wall_seconds, 2),
        "requests_per_second": round(len(results) / wall_seconds, 1),
        "server_errors": sum(n for s, n in statuses.items() if s >= 500 or s < 0),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1),
            "p90": round(percentile(latencies, 0.90), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "max": round(max(latencies), 1),
        },
    }


def wait_for_port(port: int, timeout: float = 30, what: str = "the server") -> None:
    """Return once something listens on the loopback port; raise after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")
