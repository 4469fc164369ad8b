"""Which real services this run has, and what to do when a test needs a missing one.

With REQUIRE_SERVICES=1 (as in CI) a missing service fails the test instead of
skipping it, so a green run always means the real thing was exercised.
"""

from __future__ import annotations

import os
import shutil
from functools import cache

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = "/usr/bin/chromium"


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing(reason: str) -> None:
    """Skip the current test for want of a service, or fail when services are required."""
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def has_postgres() -> bool:
    return connection.vendor == "postgresql"


@cache
def has_redis() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def has_chromium() -> bool:
    return shutil.which(CHROMIUM) is not None
