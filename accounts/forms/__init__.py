"""Forms for accounts. They parse and check input; services make the changes.

The admin needs email-based versions of Django's user forms (the first two).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from ..models import (
    CareerEntry,
    CurrentRole,
    EmployerType,
    LocalAuthority,
    Nation,
    Profile,
    Sector,
    Seniority,
    User,
)
from ..selectors import local_authorities_by_nation, user_email_taken
from ..services import (
    EMAIL_TAKEN,
    END_IN_FUTURE,
    ROLE_SINCE_IN_FUTURE,
    START_IN_FUTURE,
    password_reset_email_queue,
    user_password_set,
)
from ..widgets import DATE_HINT, DATE_IN_FUTURE, DATE_INVALID, DATE_REQUIRED, DayMonthYearField


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


PASSWORDS_DIFFER = _("The passwords do not match. Type the same password twice.")
PASSWORD_WRONG = _("Your password is not right. Check it and try again.")
NOT_A_LOCAL_AUTHORITY = _("Not a local authority")
LOGIN_INVALID = _(
    "The email address or password is not right. Check them and try again. "
    "Passwords are case-sensitive."
)
LOGIN_INACTIVE = _("This account has been closed. Contact us if you need it again.")
PASSWORD_REQUIRED = _("Enter your password.")
CURRENT_PASSWORD_REQUIRED = _("Enter your current password.")
NEW_PASSWORD_REQUIRED = _("Create a new password.")
NEW_PASSWORD_AGAIN_REQUIRED = _("Type your new password again.")
EMAIL_REQUIRED = _("Enter your email address.")
EMAIL_INVALID = _("Enter an email address in the right format, like name@example.org.")

# Nobody's career history starts before 1960; an earlier year is a typing slip.
EARLIEST_CAREER_DATE = dt.date(1960, 1, 1)
DATE_TOO_EARLY = _("The date must be on or after 1 January 1960. Check the year.")


def _date_field(
    label: Any,
    *,
    required_message: Any = None,
    in_future_message: Any = DATE_IN_FUTURE,
    help_text: Any = DATE_HINT,
) -> DayMonthYearField:
    return DayMonthYearField(
        label=label,
        required=required_message is not None,
        help_text=help_text,
        earliest=EARLIEST_CAREER_DATE,
        not_in_future=True,
        error_messages={
            "required": required_message or DATE_REQUIRED,
            "invalid": DATE_INVALID,
            "too_early": DATE_TOO_EARLY,
            "in_future": in_future_message,
        },
    )


def _choices(choices: list[tuple[str, Any]], blank: Any = None) -> list[tuple[str, Any]]:
    return [("", blank or _("Choose one")), *choices]


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, labelled for what people actually type: their email address."""

    error_messages = {"invalid_login": LOGIN_INVALID, "inactive": LOGIN_INACTIVE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email address")
        username.widget.input_type = "email"
        username.widget.attrs["autocomplete"] = "email"
        username.error_messages["required"] = EMAIL_REQUIRED
        self.fields["password"].error_messages["required"] = PASSWORD_REQUIRED

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Pass the address as `email` (the user model's USERNAME_FIELD, which django-axes
            # reads from failed-login credentials by default) and in one case, so every
            # failure for an account from one address counts towards the same lockout.
            # With `username=` axes would record the failures against no account at all.
            self.user_cache = authenticate(
                self.request, email=username.strip().lower(), password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will send a link to this address to check it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the right format, like name@example.org."),
        },
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": _("Create a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type your password again.")},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if user_email_taken(email=email):
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif password1:
            # The validators compare the password with the name and address given.
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordResetEmailForm(PasswordResetForm):
    """Django's reset form, sending through the outbox like every other email."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Email address")
        email.error_messages["required"] = EMAIL_REQUIRED
        email.error_messages["invalid"] = EMAIL_INVALID

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        password_reset_email_queue(
            user=context["user"], uidb64=context["uid"], token=context["token"]
        )

    def get_users(self, email: str) -> Iterator[Any]:
        # Django leaves out accounts with no usable password. Here those are people the
        # programme team invited who have not chosen one yet: if their claim link
        # expired, this is how they get a new one. The link still only goes to the mailbox.
        return (
            user
            for user in User.objects.filter(email__iexact=email.strip(), is_active=True)
            if user.email.lower() == email.strip().lower()
        )


class _NotifyOnSave:
    """Set the password through the service, which also emails the account's owner."""

    user: User
    cleaned_data: dict[str, Any]
    # True where the form is reached only through a link sent to the account's address.
    proves_email = False

    def save(self, commit: bool = True) -> User:
        return user_password_set(
            user=self.user,
            password=self.cleaned_data["new_password1"],
            email_proven=self.proves_email,
        )


def _new_password_messages(form: forms.Form) -> None:
    form.fields["new_password1"].error_messages["required"] = NEW_PASSWORD_REQUIRED
    form.fields["new_password2"].error_messages["required"] = NEW_PASSWORD_AGAIN_REQUIRED


class ResetSetPasswordForm(_NotifyOnSave, SetPasswordForm):
    proves_email = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_messages(self)


class ChangePasswordForm(_NotifyOnSave, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_messages(self)
        self.fields["old_password"].error_messages["required"] = CURRENT_PASSWORD_REQUIRED


class ChangeEmailForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        help_text=_(
            "We will send a link to this address. Your email address changes when you use it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your new email address."),
            "invalid": _("Enter an email address in the right format, like name@example.org."),
        },
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To check it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(PASSWORD_WRONG, code="password_wrong")
        return password


class LocalAuthorityChoiceField(forms.ChoiceField):
    """A <select> of local authorities in an <optgroup> per nation; cleans to the authority."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.authorities: dict[str, LocalAuthority] = {}

    def load(self) -> None:
        groups = local_authorities_by_nation()
        self.authorities = {str(a.pk): a for _n, group in groups for a in group}
        self.choices = [
            ("", NOT_A_LOCAL_AUTHORITY),
            *[(nation, [(str(a.pk), a.name) for a in group]) for nation, group in groups],
        ]

    def clean(self, value: Any) -> LocalAuthority | None:
        value = super().clean(value)
        return self.authorities.get(value) if value else None


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": _("Enter your job title.")},
    )
    current_role = forms.ChoiceField(
        label=_("Current role"),
        choices=_choices(CurrentRole.choices),
        help_text=_("Choose the closest match. Some programmes are for particular roles."),
        error_messages={"required": _("Choose your current role.")},
    )
    current_role_since = _date_field(
        _("In this role since (optional)"), in_future_message=ROLE_SINCE_IN_FUTURE
    )
    employer_type = forms.ChoiceField(
        label=_("Type of employer"),
        choices=_choices(EmployerType.choices),
        error_messages={"required": _("Choose the type of organisation you work for.")},
    )
    local_authority = LocalAuthorityChoiceField(
        label=_("Local authority"),
        required=False,
        help_text=_("If you work for a council. Type the first letters of its name to jump to it."),
    )
    employer_name = forms.CharField(
        label=_("Employer"),
        max_length=200,
        required=False,
        help_text=_("If you do not work for a local authority, the organisation you work for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=_choices(Sector.choices),
        error_messages={"required": _("Choose the sector you work in.")},
    )
    nation = forms.ChoiceField(
        label=_("Nation you work in"),
        choices=_choices(Nation.choices),
        required=False,
        help_text=_("If you choose a local authority, you can leave this and we use its nation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        local_authority = self.fields["local_authority"]
        assert isinstance(local_authority, LocalAuthorityChoiceField)
        local_authority.load()

    @staticmethod
    def initial_for(user: User, profile: Profile | None) -> dict[str, Any]:
        initial: dict[str, Any] = {"full_name": user.full_name}
        if profile is not None:
            initial.update(
                phone=profile.phone,
                job_title=profile.job_title,
                current_role=profile.current_role,
                current_role_since=profile.current_role_since,
                employer_type=profile.employer_type,
                local_authority=profile.local_authority_id or "",
                employer_name=profile.employer_name,
                sector=profile.sector,
                nation=profile.nation,
            )
        return initial


class CareerEntryForm(forms.Form):
    role_title = forms.CharField(
        label=_("Role"),
        max_length=150,
        help_text=_("Your job title, for example Assistant director, early help."),
        error_messages={"required": _("Enter the role.")},
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        error_messages={"required": _("Enter the organisation.")},
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=_choices(Sector.choices),
        error_messages={"required": _("Choose the sector.")},
    )
    seniority = forms.ChoiceField(
        label=_("Level"),
        choices=_choices(Seniority.choices),
        help_text=_(
            "Senior strategic leadership means leading a service or organisation: for example "
            "director, deputy or assistant director."
        ),
        error_messages={"required": _("Choose the level of the role.")},
    )
    started_on = _date_field(
        _("Start date"),
        required_message=_("Enter the start date."),
        in_future_message=START_IN_FUTURE,
    )
    ended_on = _date_field(
        _("End date (optional)"),
        in_future_message=END_IN_FUTURE,
        help_text=_("Leave blank if this is your current role. For example, 31 3 2022."),
    )

    @staticmethod
    def initial_for(entry: CareerEntry) -> dict[str, dt.date | str | None]:
        return {
            "role_title": entry.role_title,
            "organisation": entry.organisation,
            "sector": entry.sector,
            "seniority": entry.seniority,
            "started_on": entry.started_on,
            "ended_on": entry.ended_on,
        }
