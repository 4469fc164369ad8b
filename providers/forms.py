from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportFormat
from .scope import ENROLMENT_STATES


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    background = forms.BooleanField(
        label=_("Build it in the background and tell me when it is ready"), required=False
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *[(s.value, s.label) for s in ENROLMENT_STATES]],
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say which system will use it, for example 'Student records'."),
    )
    valid_for = forms.TypedChoiceField(
        label=_("Expires"),
        choices=[
            ("30", _("After 30 days")),
            ("90", _("After 90 days")),
            ("365", _("After a year")),
            ("", _("Never (revoke it yourself when it is no longer used)")),
        ],
        initial="365",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def valid_for_delta(self) -> dt.timedelta | None:
        days = self.cleaned_data.get("valid_for")
        return dt.timedelta(days=days) if days else None
