"""A web process has loaded its URLs and views before the first request reaches it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Modules only the URL configuration imports: no request has been made in the child.
LOADED_BY_URLS = ["portal.urls", "programmes.views", "applications.views.journey"]
# Task modules, which only Celery's autodiscovery imports (the first task sent, otherwise).
TASKS = ["notifications.tasks", "applications.tasks"]


@pytest.mark.parametrize("entry_point", ["portal.wsgi", "portal.asgi"])
def test_the_entry_point_loads_every_view_before_any_request(entry_point: str) -> None:
    probe = (
        f"import sys, {entry_point}\n"
        f"print(' '.join(m for m in {LOADED_BY_URLS + TASKS!r} if m not in sys.modules))\n"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"not loaded at start: {done.stdout}"


@pytest.mark.parametrize("entry_point", ["portal.wsgi", "portal.asgi"])
def test_the_entry_point_compiles_the_email_address_patterns_before_any_request(
    entry_point: str,
) -> None:
    probe = (
        f"import {entry_point}\n"
        "from django.core.validators import EmailValidator\n"
        "from django.utils.functional import empty\n"
        "print(EmailValidator.domain_regex._wrapped is empty)\n"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
