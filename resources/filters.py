"""The library's search and filters: a FilterSet on the directory's pattern.

A bad value never reaches the database as an error: the field reports it on the
page and the other filters still apply.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from programmes.filters import CHECKBOXES
from programmes.models import Audience
from programmes.selectors import SEARCH_MAX_LENGTH

from .models import Resource, ResourceKind, Topic, topic_lookup
from .selectors import resource_search


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=SEARCH_MAX_LENGTH, strip=True
    )
    topic = django_filters.MultipleChoiceFilter(
        label=_("Topic"), choices=Topic.choices, method="filter_topic", widget=CHECKBOXES
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=ResourceKind.choices, widget=CHECKBOXES
    )
    audience = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"), choices=Audience.choices, widget=CHECKBOXES
    )

    class Meta:
        model = Resource
        fields: list[str] = []
        form = forms.Form

    def filter_search(self, queryset: QuerySet[Resource], name: str, value: str) -> Any:
        return resource_search(resources=queryset, query=value)

    def filter_topic(self, queryset: QuerySet[Resource], name: str, value: list[str]) -> Any:
        if not value:
            return queryset
        any_of = Q()
        for topic in value:
            any_of |= topic_lookup(topic)
        return queryset.filter(any_of)

    def filter_queryset(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", "title", "pk")
        return queryset.order_by("-published_on", "title", "pk")
