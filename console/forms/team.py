"""Forms for a programme's team: add someone by email, change a role."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programmes.models import ProgrammeTeamMember

Role = ProgrammeTeamMember.Role
StrOrPromise = str | Promise

# The console's names for the roles, and what each may do, shown beside the choice.
ROLE_CHOICES = [
    (Role.SCREENER, _("Screener: reads and screens applications")),
    (Role.MANAGER, _("Manager: also makes offers, edits the programme and runs the team")),
]
ROLE_NAMES: dict[str, StrOrPromise] = {Role.MANAGER: _("Manager"), Role.SCREENER: _("Screener")}

EMAIL_REQUIRED = _("Enter the email address of the person to add.")
EMAIL_INVALID = _("Enter an email address in the right format, like name@example.org.")
ROLE_REQUIRED = _("Choose the person's role.")


class TeamAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address they sign in with. They must already have an account."),
        max_length=254,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        initial=Role.SCREENER,
        widget=forms.RadioSelect,
        error_messages={"required": ROLE_REQUIRED, "invalid_choice": ROLE_REQUIRED},
    )


class TeamRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        error_messages={"required": ROLE_REQUIRED, "invalid_choice": ROLE_REQUIRED},
    )
