"""Small display helpers for console templates."""

from __future__ import annotations

from typing import Any

from django import template

from applications.models import ApplicationState, EligibilityOutcome
from programmes.models import CohortStatus

register = template.Library()


@register.filter
def cohort_status(value: str) -> str:
    """The label of a computed CohortStatus value (annotations have no get_..._display)."""
    return str(CohortStatus(value).label) if value in CohortStatus.values else value


@register.filter
def state_label(value: str) -> str:
    return str(ApplicationState(value).label) if value in ApplicationState.values else value


@register.filter
def outcome_label(value: str) -> str:
    return str(EligibilityOutcome(value).label) if value in EligibilityOutcome.values else ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping[key]` in a template, or None: for per-row lookups in one precomputed dict."""
    return mapping.get(key) if mapping else None
