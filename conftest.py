"""Root pytest configuration: under REQUIRE_SERVICES=1 any skip fails the run."""

from __future__ import annotations

import pytest

from tests.services import services_required

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if services_required() and _skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if services_required() and _skipped:
        terminalreporter.write_line(
            f"REQUIRE_SERVICES=1: {len(_skipped)} test(s) skipped; failing the run: "
            + ", ".join(_skipped[:10]),
            red=True,
        )
