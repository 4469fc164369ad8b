"""The peer network's forms: the profile a participant shares, and the search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, User

from .models import NetworkProfile, Region
from .services import PROFILE_FIELDS


class NetworkProfileForm(forms.ModelForm):
    class Meta:
        model = NetworkProfile
        fields = list(PROFILE_FIELDS)
        help_texts = {
            "contact_email": _("Your peers see this. It can differ from your account's email."),
            "can_help_with": _("One line, for example: “Ofsted inspections and improvement”."),
        }

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        """A first profile filled in from the account, to change as the person wishes."""
        profile = getattr(user, "profile", None)
        initial: dict[str, Any] = {"name": user.full_name, "contact_email": user.email}
        if profile is not None:
            initial.update(
                job_title=profile.job_title,
                employer=profile.employer_display,
                local_authority=profile.local_authority_id,
            )
        return initial

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class NetworkSearchForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        label=_("Local authority"),
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        empty_label=_("Any"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Any")), *Region.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    role = forms.CharField(
        label=_("Role or what they can help with"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    alumni = forms.BooleanField(
        label=_("Show the programme's alumni instead"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
