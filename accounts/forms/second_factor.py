"""Forms of the second factor: a code, and saying the recovery codes are kept safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CODE_REQUIRED = _("Enter the code from your authenticator app.")
CODE_OR_RECOVERY_REQUIRED = _("Enter the code from your authenticator app or a recovery code.")
SAVED_REQUIRED = _("Confirm that you have saved your recovery codes.")


def _code_field(
    *, label: StrOrPromise, help_text: StrOrPromise, required: StrOrPromise
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": required},
    )


class SetUpCodeForm(forms.Form):
    code = _code_field(
        label=_("Code from your app"),
        help_text=_("The 6-digit code your authenticator app shows for this account."),
        required=CODE_REQUIRED,
    )


class VerifyCodeForm(forms.Form):
    code = _code_field(
        label=_("Code"),
        help_text=_(
            "The 6-digit code your authenticator app shows now. No phone? Enter one of "
            "your recovery codes instead: each works once."
        ),
        required=CODE_OR_RECOVERY_REQUIRED,
    )


class RecoveryCodesSavedForm(forms.Form):
    saved = forms.BooleanField(
        label=_("I have saved these recovery codes somewhere safe"),
        error_messages={"required": SAVED_REQUIRED},
    )
