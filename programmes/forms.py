"""Forms for the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Programme

EMAIL_REQUIRED = _("Enter your email address.")
EMAIL_INVALID = _("Enter an email address in the right form, like name@example.org.")
CONSENT_REQUIRED = _("Tick the box to say we may email you about new dates.")


def future_dates_consent_text(programme: Programme) -> str:
    """The words the person agrees to; stored verbatim as the record of consent."""
    return str(
        _(
            "Email me when new dates for %(title)s are announced. Keep my email address "
            "only for this. I can unsubscribe at any time."
        )
        % {"title": programme.title}
    )


class FutureDatesForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "future-dates-%s")
        super().__init__(*args, **kwargs)
        self.consent_text = future_dates_consent_text(programme)
        self.fields["consent"].label = self.consent_text
