"""The directory's search, filters and sort: one FilterSet for the pages and the API.

Bad input never reaches the database as an error. Each field validates its own
value; the directory shows a message for an invalid one and applies the rest,
and the API answers 400 with the field named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portal.render_memo import RenderMemo

from .models import Audience, CostType, DeliveryFormat, Programme, Provider
from .selectors import (
    SEARCH_MAX_LENGTH,
    cohort_conditions,
    programme_search,
    programmes_soonest_first,
    programmes_with_cohort,
)

SORT_RELEVANCE = "relevance"
SORT_START = "start"
SORT_TITLE = "title"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Best match")),
    (SORT_START, _("Next start date")),
    (SORT_TITLE, _("Title (A to Z)")),
]

YES_VALUES = frozenset({"true", "1", "yes", "on"})
NO_VALUES = frozenset({"false", "0", "no", "off", ""})
NOT_YES_OR_NO = _("Use true or false.")
START_WINDOW_BACKWARDS = _("The latest start date must be the same as or after the earliest.")
START_WINDOW_HINT = _(
    "Shows programmes with a cohort that has not started yet and starts in these dates. "
    "Cohorts already running are left out."
)


class YesNoField(forms.Field):
    """A tick box that also reads true/false from an API query string, and says so when
    it cannot, instead of quietly treating anything as yes."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value is None:
            return None
        text = str(value).strip().lower()
        if text in YES_VALUES:
            return True
        if text in NO_VALUES:
            return None
        raise forms.ValidationError(NOT_YES_OR_NO, code="invalid_boolean")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class ProgrammeFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_from, starts_to = cleaned.get("starts_from"), cleaned.get("starts_to")
        if starts_from and starts_to and starts_to < starts_from:
            # The pair is what is wrong, so neither date applies.
            self.add_error("starts_to", START_WINDOW_BACKWARDS)
            cleaned.pop("starts_from", None)
        return cleaned


CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=SEARCH_MAX_LENGTH, strip=True
    )
    audience = django_filters.MultipleChoiceFilter(
        label=_("Who it is for"), choices=Audience.choices, widget=CHECKBOXES
    )
    provider = django_filters.ModelMultipleChoiceFilter(
        label=_("Provider"),
        queryset=Provider.objects.filter(kind=Provider.Kind.PROVIDER).order_by("name"),
        to_field_name="slug",
        method="filter_provider",
        widget=CHECKBOXES,
    )
    # Not "format": DRF reads ?format= to choose a renderer (JSON, CSV, ...).
    delivery = django_filters.MultipleChoiceFilter(
        label=_("Format"), field_name="format", choices=DeliveryFormat.choices, widget=CHECKBOXES
    )
    cost = django_filters.ChoiceFilter(
        label=_("Cost"),
        field_name="cost_type",
        choices=CostType.choices,
        empty_label=_("Any cost"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    accredited = YesNoFilter(label=_("Offers accreditation"), method="filter_accredited")
    open_now = YesNoFilter(label=_("Open for applications now"), method="filter_cohort_flag")
    places = YesNoFilter(label=_("Places available"), method="filter_cohort_flag")
    starts_from = django_filters.DateFilter(
        label=_("Starts on or after"), method="filter_cohort_date", help_text=START_WINDOW_HINT
    )
    starts_to = django_filters.DateFilter(
        label=_("Starts on or before"), method="filter_cohort_date", help_text=START_WINDOW_HINT
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Programme
        fields: list[str] = []
        form = ProgrammeFilterForm

    def filter_search(self, queryset: QuerySet[Programme], name: str, value: str) -> Any:
        return programme_search(programmes=queryset, query=value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_provider(self, queryset: QuerySet[Programme], name: str, value: Any) -> Any:
        if not value:
            return queryset
        # EXISTS rather than a JOIN, so a programme run by two chosen providers
        # is still one row.
        through = Programme.providers.through.objects.filter(
            programme=OuterRef("pk"), provider__in=value
        )
        return queryset.filter(Exists(through))

    def filter_accredited(self, queryset: QuerySet[Programme], name: str, value: bool) -> Any:
        return queryset.exclude(accreditation="") if value else queryset

    # Cohort filters must hold for the same cohort ("open now" and "starts in
    # March" means one cohort that is both), so filter_queryset applies them
    # together in one EXISTS; sort is applied last, once the search rank exists.
    # These methods only give each parameter its type in the API schema.
    def filter_cohort_flag(self, queryset: QuerySet[Programme], name: str, value: bool) -> Any:
        return queryset

    def filter_cohort_date(self, queryset: QuerySet[Programme], name: str, value: dt.date) -> Any:
        return queryset

    def filter_sort(self, queryset: QuerySet[Programme], name: str, value: str) -> Any:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Programme]) -> QuerySet[Programme]:
        data = self.form.cleaned_data
        queryset = super().filter_queryset(queryset)
        condition = cohort_conditions(
            accepting_now=bool(data.get("open_now")),
            places_available=bool(data.get("places")),
            starts_from=data.get("starts_from"),
            starts_to=data.get("starts_to"),
        )
        if condition:
            queryset = programmes_with_cohort(programmes=queryset, condition=condition)
        return queryset.order_by(*self.ordering())

    def current_sort(self) -> str:
        """The sort in force: the one asked for, else best match for a search, else soonest."""
        data = self.form.cleaned_data
        searching = bool(data.get("q"))
        sort = data.get("sort") or (SORT_RELEVANCE if searching else SORT_START)
        return SORT_START if sort == SORT_RELEVANCE and not searching else sort

    def sort_choices(self) -> list[tuple[str, Any]]:
        searching = bool(self.form.cleaned_data.get("q"))
        return [c for c in SORT_CHOICES if searching or c[0] != SORT_RELEVANCE]

    def ordering(self) -> list[Any]:
        sort = self.current_sort()
        if sort == SORT_RELEVANCE:
            return ["-rank", "title", "pk"]
        if sort == SORT_TITLE:
            return ["title", "pk"]
        return programmes_soonest_first()


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class FilterGroup:
    """One fieldset of tick boxes (or radio buttons) on the directory page."""

    name: str
    label: str
    input_type: str
    errors: tuple[str, ...]
    options: tuple[FilterOption, ...]


# The filters shown as a group of tick boxes or radio buttons, in page order.
CHOICE_GROUPS = ("audience", "provider", "delivery", "cost")


def filter_groups(form: forms.Form) -> list[FilterGroup]:
    """The directory's choice filters as plain data, for one template loop.

    Rendering each of some seventy options through Django's widget templates
    cost more than the rest of the page; the markup is the same (ids included),
    written once in _filter_groups.html. The provider choices are read once.
    The groups are hashable, so the markup can be kept per content (render_filter_groups).
    """
    groups = []
    for name in CHOICE_GROUPS:
        bound = form[name]
        field = bound.field
        multiple = isinstance(field.widget, forms.CheckboxSelectMultiple)
        raw = bound.value()
        chosen = {str(v) for v in raw} if isinstance(raw, list | tuple) else {str(raw or "")}
        options = tuple(
            FilterOption(
                value=str(value),
                label=str(label),
                id=f"id_{name}_{index}",
                checked=str(value) in chosen,
            )
            for index, (value, label) in enumerate(field.choices)  # type: ignore[attr-defined]
        )
        groups.append(
            FilterGroup(
                name=name,
                label=str(bound.label),
                input_type="checkbox" if multiple else "radio",
                errors=tuple(str(error) for error in bound.errors),
                options=options,
            )
        )
    return groups


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_query: str


def _without(params: QueryDict, name: str, value: str | None = None) -> str:
    remaining = params.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(name, None)
    else:
        remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    return remaining.urlencode()


def active_filters(filterset: ProgrammeFilter, params: QueryDict) -> list[ActiveFilter]:
    """Each applied filter value with a link that removes just that value."""
    if not filterset.is_bound:
        return []
    filterset.errors  # noqa: B018 - validates the form, filling cleaned_data
    data = filterset.form.cleaned_data
    found: list[ActiveFilter] = []

    def add(label: str, name: str, value: str | None = None) -> None:
        found.append(ActiveFilter(label=label, remove_query=_without(params, name, value)))

    if data.get("q"):
        add(_("Search: “%(q)s”") % {"q": data["q"]}, "q")
    for field_name, choices in (("audience", Audience), ("delivery", DeliveryFormat)):
        for value in data.get(field_name) or []:
            add(f"{filterset.filters[field_name].label}: {choices(value).label}", field_name, value)
    for provider in data.get("provider") or []:
        add(_("Provider: %(name)s") % {"name": provider.name}, "provider", provider.slug)
    if data.get("cost"):
        add(_("Cost: %(cost)s") % {"cost": CostType(data["cost"]).label}, "cost")
    for name in ("accredited", "open_now", "places"):
        if data.get(name):
            add(str(filterset.filters[name].label), name)
    for name in ("starts_from", "starts_to"):
        day: dt.date | None = data.get(name)
        if day:
            add(f"{filterset.filters[name].label} {date_format(day, 'j F Y')}", name)
    return found


_filter_markup = RenderMemo("programmes/_filter_groups.html", max_entries=512)


def render_filter_groups(groups: list[FilterGroup]) -> SafeString:
    """The groups' markup; the same choices, ticks and errors give the same bytes."""
    return _filter_markup.render(tuple(groups), {"filter_groups": groups})
