"""Naming who made a change in the audit log (django-auditlog, docs/adr/0006).

Services wrap their writes in `acting_as(by)` so the actor is recorded outside a
request too (a task, a command, a shell).

Why not `auditlog.context.set_actor` on its own: inside a request the
AuditlogMiddleware has already opened a context, and auditlog keeps one context
in a ContextVar that a nested `set_actor` overwrites and never puts back. The
request's context then cannot disconnect its own signal receiver when the
request ends, so one receiver would be left behind per request, and later
saves in the same request would lose the remote address. `acting_as` puts the
outer context back when it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from auditlog.context import auditlog_value, set_actor

if TYPE_CHECKING:
    from accounts.models import User


@contextmanager
def acting_as(by: User | None) -> Iterator[None]:
    """Record `by` as the actor of the audit entries written inside; None leaves it as it is."""
    if by is None:
        yield
        return
    outer = auditlog_value.get(None)
    try:
        with set_actor(by):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)
