"""Every URL has a declared expectation for every role, and the expectations hold."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import World
from .fingerprint import changed_tables, db_fingerprint, watched_tables
from .matrix import ADMIN_NAMESPACE, ADMIN_SAMPLE, MATRIX, REDIRECT, ROLES, Case


def _all_url_names(patterns=None, prefix: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _all_url_names(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            names.append(
                f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed {entry.pattern}>"
            )
    return names


def test_every_url_pattern_has_declared_expectations() -> None:
    undeclared = [
        name
        for name in _all_url_names()
        if name not in MATRIX and not name.startswith(f"{ADMIN_NAMESPACE}:")
    ]
    assert undeclared == [], f"add these URLs to tests/authz/matrix.py: {undeclared}"


def test_every_declared_url_still_exists() -> None:
    existing = set(_all_url_names())
    stale = [name for name in [*MATRIX, *ADMIN_SAMPLE] if name not in existing]
    assert stale == []


def test_every_case_names_every_role() -> None:
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items():
        assert set(case.expect) == set(ROLES), name


# Statuses that mean "you may not do this here". A role named in `acts` with one of
# them would be a contradiction: it cannot both be turned away and change something.
TURNED_AWAY = {401, 403, 404, 405}


def test_a_role_that_acts_is_not_turned_away() -> None:
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items():
        assert set(case.acts) <= set(ROLES), name
        for role in case.acts:
            status = case.expect[role]
            sent_to_sign_in = role == "anonymous" and status == REDIRECT
            assert status not in TURNED_AWAY and not sent_to_sign_in, f"{name}: {role}"


def test_only_posts_declare_an_outcome() -> None:
    """GET cases are not outcome-checked, so `acts` on one would promise a check never made."""
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items():
        if case.method != "post":
            assert not (case.acts or case.changes or case.outcome_unchecked), name


def test_a_role_that_acts_says_what_it_changes() -> None:
    watched = watched_tables()
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items():
        assert bool(case.acts) == bool(case.changes), name
        assert set(case.changes) <= watched, f"{name}: unknown table in changes"


CASES = [(name, role) for name in {**MATRIX, **ADMIN_SAMPLE} for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_the_declared_response(url_name: str, role: str, world: World) -> None:
    case: Case = {**MATRIX, **ADMIN_SAMPLE}[url_name]
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, case.method)(reverse(url_name, kwargs=case.kwargs(world)))
    assert response.status_code == case.expect[role], (
        f"{role} on {url_name}: got {response.status_code}, declared {case.expect[role]}"
    )


POSTS = [
    (name, role)
    for name, case in {**MATRIX, **ADMIN_SAMPLE}.items()
    if case.method == "post"
    for role in ROLES
]


@pytest.mark.parametrize(("url_name", "role"), POSTS, ids=[f"{n}-{r}" for n, r in POSTS])
def test_post_changes_only_what_the_role_may_change(
    url_name: str,
    role: str,
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case: Case = {**MATRIX, **ADMIN_SAMPLE}[url_name]
    if case.outcome_unchecked:
        pytest.skip(case.outcome_unchecked)
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    # Build the URL's objects (documents, tokens, drafts) first: they are the setting,
    # not the outcome.
    url = reverse(url_name, kwargs=case.kwargs(world))
    before = db_fingerprint()
    # The test's transaction never commits, so whatever a view queues for after commit
    # (tasks, file deletions) is caught here instead of silently dropped.
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url)
    after = db_fingerprint()
    assert response.status_code == case.expect[role]
    changed = changed_tables(before, after)
    if role in case.acts:
        assert changed == sorted(case.changes), f"{role} on {url_name} changed {changed}"
    else:
        assert changed == [], f"{role} on {url_name} must change nothing but changed {changed}"
        assert queued == [], f"{role} on {url_name} queued work for after commit: {queued}"
