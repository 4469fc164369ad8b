"""Reads of the catalogue, as querysets with everything a page needs prefetched."""

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Cohort, Programme


def programme_list_public() -> QuerySet[Programme]:
    """Published programmes with providers and the next start date, in two queries."""
    today = timezone.localdate()
    return (
        Programme.objects.published()
        .annotate(next_start=Min("cohorts__starts_on", filter=Q(cohorts__starts_on__gte=today)))
        .prefetch_related("providers")
        .order_by("title")
    )


def programme_detail_public(*, slug: str) -> Programme:
    """One published programme with providers, funder and cohorts. Raises DoesNotExist."""
    return (
        Programme.objects.published()
        .select_related("funder")
        .prefetch_related(
            "providers", Prefetch("cohorts", queryset=Cohort.objects.order_by("starts_on"))
        )
        .get(slug=slug)
    )
