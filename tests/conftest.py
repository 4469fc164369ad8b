"""Fixtures shared by every test app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache

from portal.celery import app as celery_app
from tests import factories
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
    yield
    celery_app.conf.task_always_eager = not settings.REDIS_URL


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded documents never land in the project's real private folder during tests."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def password() -> str:
    return factories.PASSWORD
