"""The load generator every booking benchmark shares, so two systems are measured alike.

Standard library only: the pretix peer runs it under pretix's own virtualenv, importing
this file by path, and the portal's benchmarks under the project's.

One thread drives every connection through a selector. The generator shares the two cores
with the servers it measures, so what it spends is taken from them: a thread per request
(what this file used before) spent about 6.5 ms of CPU per request with 500 in flight,
mostly threads handing the GIL to one another, against about 0.3 ms here.

A request is prepared in full before the clock starts (method, URL, body bytes, headers)
and sent as HTTP/1.1 with `Connection: close`, so building it is not timed and every
request has a connection of its own. Redirects are not followed: a 302 is the answer being
measured. A request's time runs from opening its connection to reading the last byte of
the answer. A connection error or timeout counts as status -1.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import statistics
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import NamedTuple

TIMEOUT_SECONDS = 120
READ_BYTES = 65536


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


def _wire(prepared: Prepared) -> tuple[tuple[str, int], bytes]:
    """The address to connect to and the request's bytes as they go on the wire."""
    url = urllib.parse.urlsplit(prepared.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    target = url.path or "/"
    if url.query:
        target += "?" + url.query
    headers = {
        "Host": f"{host}:{port}",
        "User-Agent": "portal-bench-load",
        "Accept-Encoding": "identity",
        "Connection": "close",
        **prepared.headers,
    }
    if prepared.body or prepared.method in ("POST", "PUT", "PATCH"):
        headers["Content-Length"] = str(len(prepared.body))
    head = f"{prepared.method} {target} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    return (host, port), head.encode("latin-1") + b"\r\n" + prepared.body


def _parse(raw: bytes) -> tuple[int, bytes]:
    """Status and body of a whole HTTP/1.1 answer read until the server closed."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return -1, b""
    fields = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in lines[1:])
    }
    if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = _unchunk(body)
    return status, body


def _unchunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


class _Exchange:
    """One request on its own non-blocking connection."""

    def __init__(self, index: int, address: tuple[str, int], data: bytes) -> None:
        self.index = index
        self.address = address
        self.data = memoryview(data)
        self.received = bytearray()
        self.started = 0.0
        self.sock: socket.socket | None = None

    def open(self, selector: selectors.BaseSelector) -> None:
        self.started = time.perf_counter()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        code = self.sock.connect_ex(self.address)
        if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
            raise OSError(code, "connect failed")
        selector.register(self.sock, selectors.EVENT_WRITE, self)

    def step(self, selector: selectors.BaseSelector, event: int) -> bool:
        """Advance on a readiness event; True once the answer is complete."""
        assert self.sock is not None
        if event & selectors.EVENT_WRITE:
            error = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                raise OSError(error, "connect failed")
            sent = self.sock.send(self.data)
            self.data = self.data[sent:]
            if not self.data:
                selector.modify(self.sock, selectors.EVENT_READ, self)
            return False
        chunk = self.sock.recv(READ_BYTES)
        if chunk:
            self.received += chunk
            return False
        return True

    def close(self, selector: selectors.BaseSelector) -> None:
        if self.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(self.sock)
            self.sock.close()
            self.sock = None


def fire(requests: list[Prepared], concurrency: int = 0, keep_body: bool = False) -> list[Result]:
    """Send every request; return (status, seconds, body) for each, in the order given.

    concurrency 0 opens every connection at one instant. concurrency N keeps N in flight:
    N clients start together and each sends its next request as soon as its last one was
    answered.
    """
    wired = [_wire(prepared) for prepared in requests]
    results = [Result(0, 0.0, b"")] * len(requests)
    in_flight = min(concurrency or len(requests), len(requests))
    waiting = iter(range(len(requests)))
    selector = selectors.DefaultSelector()
    open_now: set[_Exchange] = set()

    def finish(exchange: _Exchange, status: int, body: bytes) -> None:
        exchange.close(selector)
        open_now.discard(exchange)
        seconds = time.perf_counter() - exchange.started
        results[exchange.index] = Result(status, seconds, body if keep_body else b"")

    def start_next() -> None:
        index = next(waiting, None)
        if index is None:
            return
        exchange = _Exchange(index, *wired[index])
        try:
            exchange.open(selector)
        except OSError:
            finish(exchange, -1, b"")
            return
        open_now.add(exchange)

    for _ in range(in_flight):
        start_next()
    while open_now:
        deadline = min(exchange.started for exchange in open_now) + TIMEOUT_SECONDS
        ready = selector.select(timeout=max(0.0, deadline - time.perf_counter()))
        if not ready:
            now = time.perf_counter()
            for exchange in [e for e in open_now if e.started + TIMEOUT_SECONDS <= now]:
                finish(exchange, -1, b"")
                start_next()
            continue
        for key, event in ready:
            exchange = key.data
            try:
                done = exchange.step(selector, event)
            except OSError:
                finish(exchange, -1, b"")
                start_next()
                continue
            if done:
                status, body = _parse(bytes(exchange.received))
                finish(exchange, status, body)
                start_next()
    selector.close()
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
