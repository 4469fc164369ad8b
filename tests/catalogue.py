"""What the catalogue cache (programmes.catalogue_cache) adds to a public page's queries."""

from __future__ import annotations

from django.db import connection


def version_reads() -> int:
    """The catalogue version a public catalogue page reads first: one query on PostgreSQL,
    none elsewhere (nothing is kept there)."""
    return 1 if connection.vendor == "postgresql" else 0
