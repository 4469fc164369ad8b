"""What a web process loads before it takes its first request, not during it.

Django imports the URL configuration, and with it every view module and what they import,
when the first request arrives. That is about a second of CPU per process here: the first
person after a deploy or a worker restart waited for it, and a burst that met freshly
started workers (the start of a booking window) queued behind four of them at once. The
web entry points call warm_up() after building the application, so gunicorn's worker
pays it while booting, before it accepts a connection.
"""

from __future__ import annotations

from django.core.cache import caches
from django.core.validators import validate_email
from django.urls import get_resolver

from .celery import app as celery_app


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every urls module and its views
    # The cache's client class (redis-py when REDIS_URL is set), made without connecting.
    caches["default"]._cache  # type: ignore[attr-defined] # noqa: B018
    # The apps' task modules, which the first task sent (an email's delivery nudge) would
    # otherwise import, with Celery's Django checks, and Celery's own built-in tasks.
    celery_app.loader.import_default_modules()
    celery_app.finalize(auto=True)
    # The email address patterns, compiled on first use: the first email each process
    # writes (every submission writes two, checked as they are) spent ~50 ms compiling them.
    validate_email("warm-up@example.com")
