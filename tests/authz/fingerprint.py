"""A snapshot of everything a request could change, to prove a refused request changed nothing.

`db_fingerprint()` reads every row of every model Django knows about (the
project's apps, the outbox, the admin log, groups and permissions, and the
auto-created many-to-many tables), minus the bookkeeping listed in EXCLUDED_*
below. It is generic on purpose: a model added next month is covered without
anyone remembering to list it here.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import models

Row = tuple[Any, ...]
Fingerprint = tuple[tuple[str, tuple[Row, ...]], ...]

# Each exclusion is something a refused (or harmless) request writes as a matter of course.
EXCLUDED_MODELS = {
    # Signing the test client in, signing out, and flash messages all write the session
    # row; which session exists says nothing about what the person was allowed to do.
    "sessions.session",
    # django-axes records every sign-in and failed sign-in; that log is the point of axes
    # and is written whatever the request was for.
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
}
EXCLUDED_FIELDS = {
    # Written by the user_logged_in signal when a session starts, not by what a request does.
    "accounts.user": {"last_login"},
}


def _frozen(value: Any) -> Any:
    """A hashable, comparable stand-in for a JSONField's dicts and lists."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _watched_models() -> list[type[models.Model]]:
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in EXCLUDED_MODELS
            and not model._meta.proxy
            and model._meta.managed
        ),
        key=lambda model: model._meta.label_lower,
    )


def _rows(model: type[models.Model]) -> tuple[Row, ...]:
    skipped = EXCLUDED_FIELDS.get(model._meta.label_lower, set())
    columns = [f.attname for f in model._meta.concrete_fields if f.name not in skipped]
    return tuple(
        tuple(_frozen(value) for value in row)
        for row in model._base_manager.order_by("pk").values_list(*columns)
    )


def watched_tables() -> set[str]:
    """The labels db_fingerprint() reads, e.g. "applications.application"."""
    return {model._meta.label_lower for model in _watched_models()}


def db_fingerprint() -> Fingerprint:
    """Every watched table as (label, rows ordered by pk): equal snapshots, same data."""
    return tuple((model._meta.label_lower, _rows(model)) for model in _watched_models())


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    """The labels whose rows differ, for a failure message a person can act on."""
    old, new = dict(before), dict(after)
    return sorted(label for label in old.keys() | new.keys() if old.get(label) != new.get(label))
