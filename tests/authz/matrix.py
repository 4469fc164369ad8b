"""Who may use each URL: one declared expectation per role for every URL pattern.

Adding a URL without adding it here fails tests/authz/test_matrix.py, so nothing
new can ship without someone deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "applicant", "screener", "staff", "provider", "admin")

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only_admin(allowed: int = OK, others: int = REDIRECT) -> dict[str, int]:
    return {**everyone(others), "admin": allowed}


@dataclass(frozen=True)
class Case:
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    why: str = ""


MATRIX: dict[str, Case] = {
    "home:index": Case(everyone(OK), why="public home page"),
    "programmes:list": Case(everyone(OK), why="public directory"),
    "programmes:detail": Case(
        everyone(OK),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="public programme page (published programmes only)",
    ),
    "healthz": Case(everyone(OK), why="monitoring; names dependencies, no personal data"),
    "accounts:login": Case(
        {**everyone(REDIRECT), "anonymous": OK},
        why="signed-in people are sent on to where they were going",
    ),
    "accounts:logout": Case(everyone(REDIRECT), method="post", why="signs out; POST only"),
}

# The Django admin is for site administrators only. Every admin URL is covered
# by this rule; the sample below is requested for real.
ADMIN_NAMESPACE = "admin"
ADMIN_SAMPLE: dict[str, Case] = {
    "admin:index": Case(only_admin()),
    "admin:accounts_user_changelist": Case(only_admin()),
    "admin:programmes_programme_changelist": Case(only_admin()),
    "admin:programmes_cohort_changelist": Case(only_admin()),
    "admin:programmes_provider_changelist": Case(only_admin()),
    "admin:post_office_email_changelist": Case(only_admin()),
    "admin:login": Case({**everyone(OK), "admin": REDIRECT}, why="the admin's own sign-in page"),
}
