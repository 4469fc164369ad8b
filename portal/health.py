"""GET /healthz: is each dependency answering? 503 only when the database is not.

The body is public, so it says only "ok" or "unavailable" per dependency; what
went wrong goes to the log, where operators look and nobody else can.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "unavailable"
NOT_USED = "not configured"


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "down"
        logger.exception("Health check: the database did not answer")
        return {"state": DOWN}
    return {"state": OK, "engine": connection.vendor}


def _cache() -> dict[str, Any]:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            return {"state": DOWN, "backend": backend}
    except Exception:
        logger.exception("Health check: the cache did not answer")
        return {"state": DOWN, "backend": backend}
    return {"state": OK, "backend": backend}


def _broker() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"state": NOT_USED, "detail": "tasks run eagerly in the web process"}
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: the broker did not answer")
        return {"state": DOWN}
    return {"state": OK}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    database_ok = checks["database"]["state"] == OK
    all_ok = all(c["state"] in (OK, NOT_USED) for c in checks.values())
    status = "ok" if all_ok else ("degraded" if database_ok else "unavailable")
    return JsonResponse(
        {"status": status, "dependencies": checks}, status=200 if database_ok else 503
    )
