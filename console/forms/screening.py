"""Forms of screening: the queue's filters and a screener's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from applications.models import ApplicationState, EligibilityOutcome

from ..selectors import ASSIGNED_TO_ME, ASSIGNED_TO_NOBODY, QUEUE_SORT_DEFAULT, QUEUE_SORTS
from ..services import (
    DECISION_ELIGIBLE,
    DECISION_INELIGIBLE,
    DECISION_MORE_INFORMATION,
    REASON_REQUIRED,
)

ANY = [("", _("Any"))]
SEARCH_MAX_LENGTH = 100
DATES_WRONG_WAY = _("The “from” date must be on or before the “to” date.")


class QueueFilterForm(forms.Form):
    """GET filters of the screening queue. Invalid values are dropped, never fatal."""

    q = forms.CharField(label=_("Name or email address"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=ANY + [c for c in ApplicationState.choices if c[0] != ApplicationState.DRAFT],
    )
    outcome = forms.ChoiceField(
        label=_("Automatic check"), required=False, choices=ANY + EligibilityOutcome.choices
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=ANY + Sector.choices)
    submitted_from = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=_("Submitted to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[
            ("", _("Anyone or nobody")),
            (ASSIGNED_TO_ME, _("Assigned to me")),
            (ASSIGNED_TO_NOBODY, _("Unassigned")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            # Neither date can be trusted, so both are left out.
            self.add_error("submitted_from", DATES_WRONG_WAY)
            self.add_error("submitted_to", DATES_WRONG_WAY)
        return cleaned

    def usable_filters(self) -> dict[str, Any]:
        """The values that are valid; the rest are left out, so the page still works."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }


def queue_sort(value: str | None) -> str:
    """The `?sort=` value if it is one of QUEUE_SORTS (or one reversed), else the default.

    Not a filter: an unknown order is not worth a message, the list just keeps its usual one.
    """
    if value and value.removeprefix("-") in QUEUE_SORTS:
        return value
    return QUEUE_SORT_DEFAULT


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (DECISION_ELIGIBLE, _("Eligible")),
            (DECISION_INELIGIBLE, _("Not eligible")),
            (DECISION_MORE_INFORMATION, _("Needs more information")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Recorded in the application's history."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason
