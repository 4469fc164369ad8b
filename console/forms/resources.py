"""The form for a resource in the console. The services check again under the row lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme
from resources.errors import NOT_BOTH
from resources.models import Resource, Topic
from resources.services import EDITABLE_FIELDS

STALE_FORM = _("This form is out of date. Open the resource again and make your change.")
LINK_OR_FILE_NEEDED = _("Give a web link or upload a file.")
PUBLISH, RETIRE, DRAFT = "publish", "retire", "draft"


class ResourceForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Web link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the resource on another website."),
    )
    topics_chosen = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    also_programmes = forms.ModelMultipleChoiceField(
        label=_("Also list it under"),
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other programmes you manage. Their participants may open it too."),
    )
    upload = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        help_text=_("A PDF or Word document, smaller than 5 MB."),
    )
    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        fields = list(EDITABLE_FIELDS)
        widgets = {"visibility": forms.RadioSelect}

    def __init__(
        self, *args: Any, owner: Programme, managed: QuerySet[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        also = self.fields["also_programmes"]
        assert isinstance(also, forms.ModelMultipleChoiceField)
        also.queryset = managed.exclude(pk=owner.pk).order_by("title")
        if self.instance.pk is not None and not self.is_bound:
            self.initial["updated_at"] = self.instance.updated_at.isoformat()
            self.initial["topics_chosen"] = self.instance.topic_values
            self.initial["also_programmes"] = [
                p.pk for p in self.instance.programmes.all() if p.pk != owner.pk
            ]
        if self.instance.has_file:
            self.fields["upload"].help_text = _(
                "Now: %(name)s. Upload another to replace it, or give a link instead."
            ) % {"name": self.instance.original_name}

    def clean_updated_at(self) -> dt.datetime | None:
        raw: str = self.cleaned_data.get("updated_at") or ""
        if self.instance.pk is None:
            return None
        try:
            seen = dt.datetime.fromisoformat(raw)
        except ValueError as error:
            raise forms.ValidationError(STALE_FORM) from error
        return seen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        link, upload = cleaned.get("link"), cleaned.get("upload")
        if link and upload:
            self.add_error("upload", NOT_BOTH)
        elif not link and not upload and not self.instance.has_file:
            self.add_error("link", LINK_OR_FILE_NEEDED)
        return cleaned

    def _post_clean(self) -> None:
        # The model's link-or-file constraint is the service's to check, with the file.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class StatusForm(forms.Form):
    action = forms.ChoiceField(choices=[(PUBLISH, PUBLISH), (RETIRE, RETIRE), (DRAFT, DRAFT)])
