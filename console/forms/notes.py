"""Forms of the team's own work on an application: a note, and who it is assigned to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.services.notes import NOTE_EMPTY, NOTE_MAX_LENGTH, NOTE_TOO_LONG
from portal.form_fields import is_row_id
from programmes.models import ProgrammeTeamMember

CHOOSE_TEAM_MEMBER = _("Choose someone from the programme's team, or nobody.")
NOBODY = ""
# Short role names for the list of people (the model's labels explain more than fits).
ROLE_NAMES: dict[str, Promise] = {
    ProgrammeTeamMember.Role.MANAGER: _("programme team"),
    ProgrammeTeamMember.Role.SCREENER: _("screener"),
}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note for the team"),
        help_text=_(
            "Up to 2,000 characters. The applicant does not see notes on their pages, "
            "but they are included if the applicant asks for a copy of their data."
        ),
        # No max_length: a maxlength attribute cuts pasted text off without a word;
        # clean_text says how long it is instead.
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": NOTE_EMPTY},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(NOTE_EMPTY)
        if len(text) > NOTE_MAX_LENGTH:
            raise forms.ValidationError(
                NOTE_TOO_LONG % {"max": f"{NOTE_MAX_LENGTH:,}", "length": f"{len(text):,}"}
            )
        return text


class AssignForm(forms.Form):
    """Who in the programme's team the application is assigned to, or nobody."""

    assigned_to = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        error_messages={"invalid_choice": CHOOSE_TEAM_MEMBER},
    )

    def __init__(self, *args: Any, team: list[ProgrammeTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people: dict[str, User] = {str(member.user.pk): member.user for member in team}
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ChoiceField)
        choices: list[tuple[str, str | Promise]] = [(NOBODY, _("Nobody"))]
        field.choices = choices + [
            (
                str(member.user.pk),
                f"{member.user.full_name or member.user.email}, "
                f"{ROLE_NAMES.get(member.role, member.get_role_display())}",
            )
            for member in team
        ]

    def clean_assigned_to(self) -> str:
        value: str = self.cleaned_data["assigned_to"]
        if value != NOBODY and not is_row_id(value):
            raise forms.ValidationError(CHOOSE_TEAM_MEMBER)
        return value

    def person(self) -> User | None:
        """The person chosen, or None for nobody."""
        value = self.cleaned_data["assigned_to"]
        return None if value == NOBODY else self.people[value]
