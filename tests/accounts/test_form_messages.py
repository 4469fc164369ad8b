"""Every required field says what to do in its own words, never Django's default."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts import forms as account_forms
from applications import forms as application_forms
from applications.eligibility.questions import DeclarationQuestion
from tests import factories

pytestmark = pytest.mark.django_db

DJANGO_DEFAULT = "This field is required."


def _empty_forms(user: Any) -> list[Any]:
    request = RequestFactory().post("/")
    return [
        account_forms.EmailAuthenticationForm(request, data={}),
        account_forms.SignupForm(data={}),
        account_forms.PasswordResetEmailForm(data={}),
        account_forms.ResetSetPasswordForm(user, data={}),
        account_forms.ChangePasswordForm(user, data={}),
        account_forms.ChangeEmailForm(data={}, user=user),
        account_forms.ProfileForm(data={}),
        account_forms.CareerEntryForm(data={}),
        application_forms.DeclarationsForm(
            data={}, questions=[DeclarationQuestion("ready", "I am ready")]
        ),
        application_forms.StatementForm(data={}),
        application_forms.DocumentForm(data={}, files={}),
        application_forms.EndorsementForm(data={}, applicant_email=user.email),
        application_forms.WithdrawForm(data={}),
    ]


def test_no_form_shows_djangos_default_required_message() -> None:
    user = factories.UserFactory()
    for form in _empty_forms(user):
        assert (
            not form.is_valid()
            or not form.fields
            or all(not f.required for f in form.fields.values())
        ), type(form).__name__
        messages = [str(m) for errors in form.errors.values() for m in errors]
        assert DJANGO_DEFAULT not in messages, type(form).__name__
        assert DJANGO_DEFAULT not in form.as_div(), type(form).__name__


def test_every_required_field_has_its_own_message() -> None:
    user = factories.UserFactory()
    for form in _empty_forms(user):
        required = {name for name, field in form.fields.items() if field.required}
        assert required <= set(form.errors), (type(form).__name__, required - set(form.errors))


def test_a_wrong_password_is_said_once_in_plain_words(client) -> None:
    user = factories.UserFactory(email="sam@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "not it"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(str(account_forms.LOGIN_INVALID)) == 1
    assert "Please enter a correct" not in body


def test_an_empty_sign_in_says_what_is_missing_without_defaults(client) -> None:
    body = client.post(reverse("accounts:login"), {}).content.decode()
    assert str(account_forms.EMAIL_REQUIRED) in body
    assert str(account_forms.PASSWORD_REQUIRED) in body
    assert DJANGO_DEFAULT not in body
