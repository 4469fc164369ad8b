from __future__ import annotations

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
