"""The fresh password check in front of every data-rights action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import PASSWORD_WRONG
from accounts.models import User


class PasswordCheckForm(forms.Form):
    """Asks for the person's password again, even though they are signed in.

    Checked through `authenticate`, so wrong guesses count towards the same
    django-axes lockout as the sign-in page: an unattended, signed-in browser
    cannot be used to guess the password either.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To check it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        checked = authenticate(self.request, email=self.user.email, password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(PASSWORD_WRONG, code="password_wrong")
        return password
