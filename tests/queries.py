"""What signing in adds to a page's queries, so counts hold with Redis and without."""

from __future__ import annotations

from django.conf import settings


def session_reads() -> int:
    """Reading the session: one query from the database, none when Redis keeps a copy
    (portal/sessions.py), as it does for a session just made by signing in."""
    return 0 if settings.SESSION_ENGINE == "portal.sessions" else 1
