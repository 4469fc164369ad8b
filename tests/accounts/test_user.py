"""People sign in with their email address, whatever its case."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_email_is_stored_lower_case_and_signs_in_in_any_case() -> None:
    user = User.objects.create_user("Jo.Bloggs@Example.ORG", factories.PASSWORD)
    assert user.email == "jo.bloggs@example.org"
    assert (
        authenticate(
            RequestFactory().post("/account/login/"),
            username="JO.BLOGGS@example.org",
            password=factories.PASSWORD,
        )
        == user
    )


def test_the_same_address_cannot_register_twice() -> None:
    User.objects.create_user("sam@example.org", "x-long-password-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("SAM@example.org", "x-long-password-2")


def test_superuser_can_use_the_admin() -> None:
    admin = User.objects.create_superuser("root@example.org", factories.PASSWORD)
    assert admin.is_staff and admin.is_superuser


def test_wrong_password_does_not_sign_in() -> None:
    factories.UserFactory(email="kim@example.org")
    assert (
        authenticate(
            RequestFactory().post("/account/login/"), username="kim@example.org", password="wrong"
        )
        is None
    )


def test_passwords_are_hashed_with_argon2_in_production(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("argon@example.org", factories.PASSWORD)
    assert user.password.startswith("argon2$")
