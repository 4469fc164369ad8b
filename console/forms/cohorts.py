"""Forms for a cohort's settings: adding one, changing one, copying one, cancelling one.

Dates are day, month and year boxes (accounts.widgets.DayMonthYearField); the
moments (applications open and close, the offer cut-off) add a time box to them,
in UK time. Every check beyond a field's own format is programmes.services.
cohorts.cohort_problems, the same function the services call, so the form's
messages beside each field and the services' refusals never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.widgets import DATE_INVALID, BoxesWidget, DayMonthYearField, DayMonthYearWidget
from programmes.models import (
    COHORT_NEEDS_A_PLACE,
    COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
    Cohort,
    DeliveryFormat,
    Programme,
)
from programmes.services.cohorts import CAPACITY_MAX, CohortDetails, cohort_problems

NAME_REQUIRED = _("Enter a name for the cohort, for example “Spring 2027”.")
DATE_REQUIRED = _("Enter the date, with the day, month and year.")
TIME_INVALID = _("Enter the time on the 24-hour clock, for example 09:00 or 17:30.")
TIME_NEEDS_DATE = _("Enter the date as well as the time.")
TIME_REQUIRED = _("Enter the time as well as the date, for example 09:00.")
MODE_REQUIRED = _("Choose how the cohort is delivered.")
CAPACITY_REQUIRED = _("Enter the number of places, as a whole number.")
CAPACITY_TOO_MANY = _("A cohort can have at most 10,000 places.")
DAYS_REQUIRED = _("Enter the number of days people have to accept an offer, from 1 to 90.")
STALE_FORM = _("This page is out of date. Open the cohort's settings again.")
CANCEL_REASON_REQUIRED = _(
    "Give the reason for cancelling. Everyone we email is told it, so write it for them."
)

DATE_HINT = _("For example, 27 3 2027.")
MOMENT_HINT = _("For example, 27 3 2027 and 09:00. UK time, 24-hour clock.")
MOMENT_PARTS = ("day", "month", "year", "time")
MOMENT_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year"), "time": _("Time")}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class DayMonthYearTimeWidget(BoxesWidget):
    """Day, month and year boxes and a time box, named <name>_day … <name>_time."""

    parts = MOMENT_PARTS
    labels = MOMENT_LABELS
    row_class = "date-input d-flex flex-wrap gap-3"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        date_boxes = DayMonthYearWidget().widgets
        time_box = forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": "5", "class": "form-control time-input"}
        )
        widgets: dict[str, forms.Widget | type[forms.Widget]] = dict(
            zip(MOMENT_PARTS, [*date_boxes, time_box], strict=True)
        )
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            return [local.day, local.month, local.year, local.strftime("%H:%M")]
        return [None, None, None, None]


class DayMonthYearTimeField(forms.Field):
    """A moment in UK time from four boxes; blank (all four empty) when not required."""

    widget = DayMonthYearTimeWidget
    default_error_messages = {
        "required": DATE_REQUIRED,
        "invalid": DATE_INVALID,
        "time_invalid": TIME_INVALID,
        "time_required": TIME_REQUIRED,
        "date_required": TIME_NEEDS_DATE,
    }

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value
        parts = [str(part or "").strip() for part in (value or ("", "", "", ""))]
        if len(parts) != 4 or not any(parts):
            return None
        *date_parts, time_text = parts
        if not any(date_parts):
            raise forms.ValidationError(self.error_messages["date_required"], code="date_required")
        day = DayMonthYearField(error_messages={"invalid": self.error_messages["invalid"]})
        date = day.to_python(date_parts)
        if not time_text:
            raise forms.ValidationError(self.error_messages["time_required"], code="time_required")
        match = _TIME.match(time_text)
        if match is None or date is None:
            raise forms.ValidationError(self.error_messages["time_invalid"], code="time_invalid")
        clock = dt.time(int(match.group(1)), int(match.group(2)))
        return timezone.make_aware(dt.datetime.combine(date, clock))

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


def _date(label: Any, help_text: Any = DATE_HINT) -> DayMonthYearField:
    return DayMonthYearField(
        label=label,
        help_text=help_text,
        error_messages={"required": DATE_REQUIRED, "invalid": DATE_INVALID},
    )


def _moment(label: Any, help_text: Any) -> DayMonthYearTimeField:
    return DayMonthYearTimeField(label=label, help_text=help_text, required=False)


class CohortForm(forms.Form):
    """A cohort's settings. Give `programme`, and `cohort` when changing one."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("People see this beside the programme's name, for example “Spring 2027”."),
        error_messages={"required": NAME_REQUIRED},
    )
    starts_on = _date(_("First day"))
    ends_on = _date(_("Last day"))
    applications_open_at = _moment(
        _("Applications open"),
        _("Leave blank if you do not know yet: the programme page says the date is to come.")
        + " "
        + MOMENT_HINT,
    )
    applications_close_at = _moment(
        _("Applications close"),
        _("Before the first day. Leave blank to keep applications open until then.")
        + " "
        + MOMENT_HINT,
    )
    delivery_mode = forms.ChoiceField(
        label=_("How it is delivered"),
        choices=DeliveryFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MODE_REQUIRED, "invalid_choice": MODE_REQUIRED},
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=200,
        required=False,
        help_text=_("For example, “Leeds Civic Hall” or “Online and Birmingham”."),
    )
    capacity = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=CAPACITY_MAX,
        error_messages={
            "required": CAPACITY_REQUIRED,
            "invalid": CAPACITY_REQUIRED,
            "min_value": COHORT_NEEDS_A_PLACE,
            "max_value": CAPACITY_TOO_MANY,
        },
    )
    offer_deadline_days = forms.IntegerField(
        label=_("Days to accept an offer"),
        initial=14,
        min_value=1,
        max_value=90,
        help_text=_("From 1 to 90. An offer not accepted in time goes to the next person."),
        error_messages={
            "required": DAYS_REQUIRED,
            "invalid": DAYS_REQUIRED,
            "min_value": COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
            "max_value": COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
        },
    )
    offer_cutoff_at = _moment(
        _("No offers after"),
        _("Leave blank to allow offers until the cohort starts.") + " " + MOMENT_HINT,
    )

    def __init__(
        self, *args: Any, programme: Programme, cohort: Cohort | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme, self.cohort = programme, cohort
        if cohort is not None:
            self.fields["capacity"].help_text = ngettext(
                "%(count)s place is taken or offered now, so you cannot go below that. "
                "New places go to the people on the waiting list, in order.",
                "%(count)s places are taken or offered now, so you cannot go below that. "
                "New places go to the people on the waiting list, in order.",
                cohort.places_taken,
            ) % {"count": cohort.places_taken}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:  # a field is missing or unreadable: its own message says so
            return cleaned
        problems = cohort_problems(
            programme=self.programme,
            details=self.details(),
            capacity=cleaned["capacity"],
            existing=self.cohort,
        )
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned

    def details(self) -> CohortDetails:
        data = self.cleaned_data
        return CohortDetails(
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            applications_open_at=data["applications_open_at"],
            applications_close_at=data["applications_close_at"],
            delivery_mode=data["delivery_mode"],
            venue=data["venue"],
            offer_deadline_days=data["offer_deadline_days"],
            offer_cutoff_at=data["offer_cutoff_at"],
        )

    def add_problems(self, problems: Mapping[str, list[str]]) -> None:
        """Show a service's refusal beside the fields it names."""
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class CohortEditForm(CohortForm):
    # When the page was opened: the edit is refused if the cohort has changed since.
    updated_at = forms.CharField(widget=forms.HiddenInput, error_messages={"required": STALE_FORM})

    def clean_updated_at(self) -> dt.datetime:
        try:
            when = dt.datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError as error:
            raise forms.ValidationError(STALE_FORM) from error
        if timezone.is_naive(when):
            raise forms.ValidationError(STALE_FORM)
        return when


class CohortCopyForm(CohortForm):
    copy_sessions = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, sessions: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        if sessions:
            self.fields["copy_sessions"].label = ngettext(
                "Copy its session too, moved on as far as the first day moves",
                "Copy its %(count)s sessions too, moved on as far as the first day moves",
                sessions,
            ) % {"count": sessions}
        else:
            del self.fields["copy_sessions"]


class CohortCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the cohort being cancelled?"),
        help_text=_("Everyone we email is told this reason."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": CANCEL_REASON_REQUIRED},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(CANCEL_REASON_REQUIRED)
        return reason
