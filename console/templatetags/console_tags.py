"""Small display helpers for console templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from applications.models import ApplicationState, EligibilityOutcome
from programmes.models import CohortStatus

register = template.Library()

S = ApplicationState
# Each state's Bootstrap badge. The label is always written in the tag, so colour is
# never the only sign. Bootstrap's text-bg-* pairs each background with a text colour
# at WCAG AA contrast or better (white on primary is 4.5:1, on success and danger 4.5:1,
# on secondary 4.7:1; black on warning, info and light 10:1 or more); light ones get a
# border so the tag's edge shows on a white page.
NEUTRAL = "text-bg-light border border-secondary"
STATE_BADGES: dict[str, str] = {
    S.DRAFT: NEUTRAL,
    S.SUBMITTED: NEUTRAL,
    S.NEEDS_REVIEW: "text-bg-warning",
    S.ELIGIBLE: "text-bg-info",
    S.INELIGIBLE: "text-bg-secondary",
    S.OFFERED: "text-bg-primary",
    S.WAITLISTED: "text-bg-dark",
    S.ENROLLED: "text-bg-success",
    S.COMPLETED: "text-bg-success",
    S.DID_NOT_COMPLETE: "text-bg-secondary",
    S.REJECTED: "text-bg-danger",
    S.DECLINED: "text-bg-secondary",
    S.EXPIRED: "text-bg-secondary",
    S.WITHDRAWN: "text-bg-secondary",
}


@register.filter
def cohort_status(value: str) -> str:
    """The label of a computed CohortStatus value (annotations have no get_..._display)."""
    return str(CohortStatus(value).label) if value in CohortStatus.values else value


@register.filter
def state_label(value: str) -> str:
    return str(ApplicationState(value).label) if value in ApplicationState.values else value


@register.filter
def state_badge(value: str) -> str:
    """The badge classes of an ApplicationState value (neutral for anything unknown)."""
    return STATE_BADGES.get(value, NEUTRAL)


@register.simple_tag
def state_tag(value: str) -> SafeString:
    """An application's state as a tag: its label in words, on the state's colour."""
    return format_html(
        '<span class="badge state-tag {}" data-state="{}">{}</span>',
        state_badge(value),
        value,
        state_label(value),
    )


@register.filter
def outcome_label(value: str) -> str:
    return str(EligibilityOutcome(value).label) if value in EligibilityOutcome.values else ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping[key]` in a template, or None: for per-row lookups in one precomputed dict."""
    return mapping.get(key) if mapping else None
