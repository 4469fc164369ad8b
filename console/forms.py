"""Forms of the staff console: queue filters and the decisions staff make."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from applications.models import Application, ApplicationState, EligibilityOutcome

from .selectors import OFFERABLE_STATES
from .services import (
    DECISION_ELIGIBLE,
    DECISION_INELIGIBLE,
    DECISION_MORE_INFORMATION,
    REASON_REQUIRED,
)

ANY = [("", _("Any"))]
SEARCH_MAX_LENGTH = 100
CHOOSE_PEOPLE = _("Choose at least one person to offer a place to.")
CHOOSE_OFFERABLE = _(
    "Some of the people chosen cannot be offered a place now. Reload the page and try again."
)
REJECT_REASON_REQUIRED = _("Give a reason for turning the application down.")
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


class RejectForm(forms.Form):
    RETURN_APPLICATION = "application"
    RETURN_WAITING_LIST = "waiting_list"

    reason = forms.CharField(
        label=_("Reason for turning the application down"),
        help_text=_("The applicant is told this reason by email."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REJECT_REASON_REQUIRED},
    )
    # Where to go back to: a choice, never a URL, so it cannot send people elsewhere.
    return_to = forms.ChoiceField(
        required=False,
        choices=[(RETURN_APPLICATION, RETURN_APPLICATION), (RETURN_WAITING_LIST, "")],
        widget=forms.HiddenInput,
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REJECT_REASON_REQUIRED)
        return reason


class BulkOfferForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        error_messages={
            "required": CHOOSE_PEOPLE,
            "invalid_choice": CHOOSE_OFFERABLE,
            "invalid_pk_value": CHOOSE_OFFERABLE,
        },
    )

    def __init__(self, *args: Any, cohort_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Application.objects.filter(cohort_id=cohort_id, state__in=OFFERABLE_STATES)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=10_000,
        error_messages={"required": _("Enter the number of places.")},
    )


class WaitingListMoveForm(forms.Form):
    """One move up or down, with the order the staff member was looking at."""

    application = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_expected(self) -> list[int]:
        raw: str = self.cleaned_data["expected"]
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError("bad order") from exc


class AttendanceForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    completed = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )
