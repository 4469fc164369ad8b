"""Fixtures shared by every test app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from portal.celery import app as celery_app
from portal.render_memo import forget_all as forget_remembered_fragments
from programmes.catalogue_cache import catalogue_cache
from tests import factories
from tests.second_factor import session_pass_second_factor
from tests.services import has_chromium, has_redis, missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and "postgresql" not in engine:
        missing("this test needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("redis") and not has_redis():
        missing("this test needs Redis: set REDIS_URL=redis://... to a running server")
    if item.get_closest_marker("browser") and not has_chromium():
        missing("this test needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture(autouse=True)
def _eager_tasks_and_clean_cache() -> Iterator[None]:
    """Run tasks in-process unless a test starts a real worker; start each test with no cache."""
    celery_app.conf.task_always_eager = True
    cache.clear()
    forget_remembered_fragments()
    catalogue_cache.forget()
    yield
    celery_app.conf.task_always_eager = not settings.REDIS_URL


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded documents never land in the project's real private folder during tests."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def password() -> str:
    return factories.PASSWORD


@pytest.fixture(autouse=True)
def _privileged_test_sessions_pass_the_second_factor(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`client.force_login(staff)` gives a session that has passed its second factor.

    Staff, screeners, provider staff and administrators must pass one before any staff
    area (docs/adr/0010). Tests about something else sign them in with force_login, so
    it also gives them a confirmed authenticator app and marks the session verified, as
    a correct code would. Tests of the second factor itself opt out with
    `@pytest.mark.real_second_factor` and take the real steps.
    """
    if request.node.get_closest_marker("real_second_factor"):
        return
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session_pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
