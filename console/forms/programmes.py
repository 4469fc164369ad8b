"""Forms for a programme's details: editing, creating, and publishing.

The forms check what a person can fix (a missing title, a fee on a funded
programme) and show it beside the field. The services in
programmes/services/programmes.py check again under the row lock, and refuse
what only they can see (someone else saved first).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.form_fields import RowChoiceField, RowsChoiceField
from programmes.errors import SLUG_TAKEN
from programmes.models import (
    PROGRAMME_FEE_NEGATIVE,
    PROGRAMME_FUNDED_WITH_FEE,
    AdmissionMode,
    Audience,
    CostType,
    DeliveryFormat,
    Programme,
    Provider,
)
from programmes.services.programmes import EDITABLE_FIELDS

TITLE_REQUIRED = _("Enter the programme's title.")
SUMMARY_REQUIRED = _("Enter a one-sentence summary: it is shown in the directory.")
DESCRIPTION_REQUIRED = _("Describe the programme: who it is for and what it covers.")
AUDIENCE_REQUIRED = _("Choose who the programme is for.")
FORMAT_REQUIRED = _("Choose how the programme is delivered.")
DURATION_REQUIRED = _("Enter how long the programme lasts, for example “Six months”.")
COST_TYPE_REQUIRED = _("Choose whether the programme is funded or paid.")
FEE_INVALID = _("Enter the fee in pounds, for example 450 or 450.00.")
PROVIDERS_REQUIRED = _("Choose at least one provider that runs the programme.")
PROVIDER_INVALID = _("Choose providers from the list.")
FUNDER_INVALID = _("Choose a funder from the list, or none.")
TEAM_EMAIL_INVALID = _("Enter the team email in the right format, like team@example.org.")
STALE_FORM = _("This page is out of date. Open it again and make your changes there.")
SLUG_REQUIRED = _(
    "Enter the web address of the programme page, or leave it to be made from the title."
)
SLUG_INVALID = _("Use only lower-case letters, numbers and hyphens in the web address.")
ADMISSION_MODE_REQUIRED = _("Choose how people get a place.")
MANAGER_REQUIRED = _("Enter the email address of the programme's first manager.")
MANAGER_INVALID = _("Enter an email address in the right format, like name@example.org.")

ADMISSION_MODE_FIXED = _(
    "How people get a place cannot be changed here: the applications already made follow "
    "the steps of the way they were made. Ask a site administrator if it must change."
)
SLUG_FIXED = _("The web address stays the same, so links people have saved or shared keep working.")


RADIO_CHOICES = {
    "audience": Audience.choices,
    "format": DeliveryFormat.choices,
    "cost_type": CostType.choices,
}


class ProgrammeForm(forms.ModelForm):
    """The details a programme's managers keep up to date (programme_update)."""

    providers = RowsChoiceField(
        label=_("Providers"),
        help_text=_("The organisations that run the programme."),
        queryset=Provider.objects.filter(kind=Provider.Kind.PROVIDER),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": PROVIDERS_REQUIRED,
            "invalid_choice": PROVIDER_INVALID,
            "invalid_pk_value": PROVIDER_INVALID,
        },
    )
    funder = RowChoiceField(
        label=_("Funder"),
        help_text=_("Leave blank when nobody funds places on the programme."),
        queryset=Provider.objects.filter(kind=Provider.Kind.FUNDER),
        required=False,
        empty_label=_("No funder"),
        error_messages={"invalid_choice": FUNDER_INVALID},
    )
    # When the person opened the form: the service refuses to save over a later change.
    updated_at = forms.CharField(widget=forms.HiddenInput, error_messages={"required": STALE_FORM})

    class Meta:
        model = Programme
        fields = [*EDITABLE_FIELDS, "providers"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.Textarea(attrs={"rows": 4}),
            "cost_type": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "format": forms.RadioSelect,
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        error_messages = {
            "title": {"required": TITLE_REQUIRED},
            "summary": {"required": SUMMARY_REQUIRED},
            "description": {"required": DESCRIPTION_REQUIRED},
            "audience": {"required": AUDIENCE_REQUIRED, "invalid_choice": AUDIENCE_REQUIRED},
            "format": {"required": FORMAT_REQUIRED, "invalid_choice": FORMAT_REQUIRED},
            "duration": {"required": DURATION_REQUIRED},
            "cost_type": {"required": COST_TYPE_REQUIRED, "invalid_choice": COST_TYPE_REQUIRED},
            "cost_amount": {
                "invalid": FEE_INVALID,
                "max_digits": FEE_INVALID,
                "max_decimal_places": FEE_INVALID,
                "max_whole_digits": FEE_INVALID,
            },
            "contact_email": {"invalid": TEAM_EMAIL_INVALID},
        }
        help_texts = {
            "cost_amount": _("In pounds. Leave blank for a funded programme."),
            "cost_note": _("For example “Indicative fee” or “Paid for by the Department”."),
        }

    field_order = [*EDITABLE_FIELDS, "providers"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio groups, so without the "---------" choice a select would have.
        for name, choices in RADIO_CHOICES.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        if self.instance.pk is not None and not self.is_bound:
            self.initial["updated_at"] = self.instance.updated_at.isoformat()

    def clean_cost_amount(self) -> Decimal | None:
        amount: Decimal | None = self.cleaned_data.get("cost_amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError(PROGRAMME_FEE_NEGATIVE)
        return amount

    def clean_updated_at(self) -> dt.datetime:
        raw: str = self.cleaned_data["updated_at"]
        try:
            seen = dt.datetime.fromisoformat(raw)
        except ValueError as error:
            raise forms.ValidationError(STALE_FORM) from error
        if seen.tzinfo is None:
            raise forms.ValidationError(STALE_FORM)
        return seen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The same rule as the model's CHECK constraint, said beside the fee.
        if cleaned.get("cost_type") == CostType.FUNDED and cleaned.get("cost_amount") is not None:
            self.add_error("cost_amount", PROGRAMME_FUNDED_WITH_FEE)
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The editable values, as programme_update takes them."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ProgrammeCreateForm(ProgrammeForm):
    """A new programme: the same details, plus its web address, how people get a place,
    and the first manager (programme_create)."""

    slug = forms.SlugField(
        label=_("Web address"),
        required=False,
        max_length=100,
        help_text=_(
            "The end of the programme page's address, /programmes/<this>/. Leave blank to "
            "make it from the title. It cannot be changed later."
        ),
        error_messages={"invalid": SLUG_INVALID},
    )
    admission_mode = forms.ChoiceField(
        label=_("How people get a place"),
        choices=AdmissionMode.choices,
        widget=forms.RadioSelect,
        help_text=_("This cannot be changed once people have applied."),
        error_messages={
            "required": ADMISSION_MODE_REQUIRED,
            "invalid_choice": ADMISSION_MODE_REQUIRED,
        },
    )
    first_manager = forms.EmailField(
        label=_("Email address of the first manager"),
        help_text=_(
            "They must already have an account on this site. They can then add the rest of "
            "the team."
        ),
        max_length=254,
        error_messages={"required": MANAGER_REQUIRED, "invalid": MANAGER_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    updated_at = None  # type: ignore[assignment]  # a new programme has no earlier version

    field_order = [
        "title",
        "slug",
        *EDITABLE_FIELDS[1:],
        "providers",
        "admission_mode",
        "first_manager",
    ]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")
        slug = slug[:100].strip("-")
        if slug and Programme.objects.filter(slug=slug).exists():
            raise forms.ValidationError(SLUG_TAKEN)
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("slug") and "title" in cleaned and "slug" not in self.errors:
            self.add_error("slug", SLUG_REQUIRED)
        return cleaned

    def _post_clean(self) -> None:
        # The service checks the slug, and creates the row; the model's own checks of
        # the new row would only repeat those with less helpful words.
        pass


PUBLISH, UNPUBLISH = "publish", "unpublish"


class PublishForm(forms.Form):
    action = forms.ChoiceField(choices=[(PUBLISH, PUBLISH), (UNPUBLISH, UNPUBLISH)])
    # Set by the confirmation page's button: unpublishing with open cohorts asks first.
    confirm = forms.BooleanField(required=False)
