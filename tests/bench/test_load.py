"""The benchmarks' load generator: every request answered, in order, with its status and
body, at most N in flight, and errors counted rather than raised."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Prepared, fire, summarise


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, bytes, str]] = []
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        cls.seen.append((self.command, self.path, body, self.headers.get("X-Who", "")))
        time.sleep(0.02)
        with cls.lock:
            cls.in_flight -= 1
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/chunked"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first ", b"second"):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            answer = b"refused: " + body
            self.send_response(400)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        self.close_connection = True

    do_GET = _answer
    do_POST = _answer


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.seen = []
    _Handler.in_flight = _Handler.most_in_flight = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _requests(base: str, n: int) -> list[Prepared]:
    kinds = ["/redirect", "/chunked?x=1", "/refuse"]
    return [
        Prepared("POST", f"{base}{kinds[i % 3]}", f"n={i}".encode(), {"X-Who": f"client{i}"})
        for i in range(n)
    ]


@pytest.mark.parametrize("concurrency", [0, 3])
def test_every_request_is_answered_in_the_order_given(server: str, concurrency: int) -> None:
    requests = _requests(server, 12)

    results = fire(requests, concurrency=concurrency, keep_body=True)

    assert [r.status for r in results] == [302, 200, 400] * 4
    assert results[1].body == b"first second"
    assert results[4].body == b"first second"
    assert results[5].body == b"refused: n=5"
    assert results[2].body == b"refused: n=2"
    assert all(r.seconds >= 0.02 for r in results)
    sent = sorted((path, body, who) for _method, path, body, who in _Handler.seen)
    asked = [(r.url.removeprefix(server), r.body, r.headers["X-Who"]) for r in requests]
    assert sent == sorted(asked)


def test_at_most_the_clients_asked_for_are_in_flight(server: str) -> None:
    fire(_requests(server, 15), concurrency=3)

    assert _Handler.most_in_flight <= 3
    assert len(_Handler.seen) == 15


def test_all_at_once_has_them_all_in_flight_together(server: str) -> None:
    fire(_requests(server, 10), concurrency=0)

    assert _Handler.most_in_flight >= 5


def test_bodies_are_dropped_unless_asked_for(server: str) -> None:
    results = fire(_requests(server, 3), concurrency=1)

    assert [r.body for r in results] == [b"", b"", b""]


def test_a_refused_connection_counts_as_an_error_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now.
    results = fire([Prepared("GET", f"http://127.0.0.1:{port}/")] * 3, concurrency=2)

    assert [r.status for r in results] == [-1, -1, -1]
    assert summarise(results, 1.0)["server_errors"] == 3
