"""Reads for the information pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from programmes.models import Programme, Provider


def programme_contacts() -> QuerySet[Programme]:
    """Published programmes with the providers who run them: two queries for any number."""
    return (
        Programme.objects.published()
        .only("title", "slug")
        .prefetch_related(
            Prefetch(
                "providers",
                queryset=Provider.objects.only("name", "website").order_by("name"),
            )
        )
        .order_by("title")
    )
