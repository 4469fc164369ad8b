"""Forms for a cohort's sessions and their registers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.models import Mark

TITLE_REQUIRED = _("Enter a title for the session, for example 'Module 1: leading systems'.")
DATE_REQUIRED = _("Enter the date of the session, for example 14/03/2027.")
DATE_INVALID = _("Enter a real date, for example 14/03/2027.")
TIME_REQUIRED = _("Enter a time, for example 09:30.")
TIME_INVALID = _("Enter a time in 24-hour form, for example 09:30 or 16:00.")


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, error_messages={"required": TITLE_REQUIRED}
    )
    date = forms.DateField(
        label=_("Date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("For example, 14/03/2027."),
        error_messages={"required": DATE_REQUIRED, "invalid": DATE_INVALID},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    starts = forms.TimeField(
        label=_("Starts at"),
        input_formats=["%H:%M"],
        help_text=_("24-hour clock, UK time, for example 09:30."),
        error_messages={"required": TIME_REQUIRED, "invalid": TIME_INVALID},
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        input_formats=["%H:%M"],
        error_messages={"required": TIME_REQUIRED, "invalid": TIME_INVALID},
    )
    online = forms.BooleanField(label=_("Held online"), required=False)
    venue = forms.CharField(label=_("Venue or joining details"), max_length=300, required=False)

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        zone = timezone.get_default_timezone()
        starts = dt.datetime.combine(data["date"], data["starts"], tzinfo=zone)
        ends = dt.datetime.combine(data["date"], data["ends"], tzinfo=zone)
        return starts, ends


class RegisterForm(forms.Form):
    """One radio group per person on the register, named mark-<application id>."""

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            name = person.applicant.full_name or person.applicant.email
            self.fields[f"mark-{person.pk}"] = forms.ChoiceField(
                label=name,
                choices=Mark.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=person.mark,
            )

    def marks(self) -> dict[int, str]:
        return {
            int(key.split("-", 1)[1]): value
            for key, value in self.cleaned_data.items()
            if key.startswith("mark-") and value
        }
