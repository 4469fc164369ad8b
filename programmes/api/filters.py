"""API filters. Programmes filter exactly like the directory page, with the same FilterSet."""

from __future__ import annotations

import django_filters

from ..filters import ProgrammeFilter
from ..models import Cohort, CohortStatus

__all__ = ["CohortFilter", "ProgrammeFilter"]


class CohortFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(
        field_name="programme__slug", label="Programme slug", max_length=100
    )
    status = django_filters.MultipleChoiceFilter(choices=CohortStatus.choices)
    starts_from = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Cohort
        fields: list[str] = []
