"""Changing the account's email address: nothing changes until the new address is proved."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.forms import PASSWORD_WRONG
from accounts.models import User
from accounts.services import EMAIL_IN_USE, EMAIL_UNCHANGED
from accounts.tokens import email_change_token
from tests import factories

pytestmark = pytest.mark.django_db


def _confirm_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/email/confirm/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def _sign_in_works(client, email: str, password: str) -> bool:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    client.logout()
    return response.status_code == 302


def test_change_email_end_to_end(client, password, django_capture_on_commit_callbacks) -> None:
    user = factories.UserFactory(email="old@example.org", full_name="Sam Jones")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:change_email"),
            {"new_email": "New@Example.org", "password": password},
        )

    assert response.status_code == 302
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"new@example.org", "old@example.org"}
    assert by_address["old@example.org"].subject == "Someone asked to change your email address"
    assert "new@example.org" in by_address["old@example.org"].body
    link = _confirm_path(by_address["new@example.org"].body)

    # Until the link is used, the old address is the account's and still signs in.
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert _sign_in_works(client, "old@example.org", password)
    assert not _sign_in_works(client, "new@example.org", password)

    assert client.get(link).status_code == 200  # a confirm page, not a change
    user.refresh_from_db()
    assert user.email == "old@example.org"

    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert user.email_verified
    assert _sign_in_works(client, "new@example.org", password)
    assert not _sign_in_works(client, "old@example.org", password)


def test_confirming_proves_an_unverified_account_address(client) -> None:
    user = factories.UserFactory(email="old@example.org", email_verified_at=None)
    client.post(
        reverse(
            "accounts:change_email_confirm",
            kwargs={"token": email_change_token(user, "new@example.org")},
        )
    )
    user.refresh_from_db()
    assert (user.email, user.email_verified) == ("new@example.org", True)


def test_change_link_is_spent_once_the_address_changes(client) -> None:
    user = factories.UserFactory(email="old@example.org")
    first = email_change_token(user, "first@example.org")
    second = email_change_token(user, "second@example.org")
    client.post(reverse("accounts:change_email_confirm", kwargs={"token": first}))

    response = client.post(reverse("accounts:change_email_confirm", kwargs={"token": second}))

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "first@example.org"


def test_tampered_change_link_is_refused(client) -> None:
    user = factories.UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    response = client.post(
        reverse("accounts:change_email_confirm", kwargs={"token": "x" + token[1:]})
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_change_is_refused_if_someone_took_the_address_meanwhile(client) -> None:
    user = factories.UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    factories.UserFactory(email="new@example.org")

    response = client.post(reverse("accounts:change_email_confirm", kwargs={"token": token}))

    assert response.status_code == 400
    assert str(EMAIL_IN_USE) in response.content.decode()
    user.refresh_from_db()
    assert user.email == "old@example.org"


@pytest.mark.parametrize(
    ("new_email", "typed_password", "field", "message"),
    [
        ("new@example.org", "wrong", "password", PASSWORD_WRONG),
        ("OLD@example.org", None, "new_email", EMAIL_UNCHANGED),
        ("taken@example.org", None, "new_email", EMAIL_IN_USE),
    ],
)
def test_change_email_errors_are_shown_against_the_field(
    client, password, new_email, typed_password, field, message
) -> None:
    factories.UserFactory(email="taken@example.org")
    client.force_login(factories.UserFactory(email="old@example.org"))

    response = client.post(
        reverse("accounts:change_email"),
        {"new_email": new_email, "password": typed_password or password},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="#id_{field}"' in body
    assert str(message) in response.context["form"].errors[field]
    assert f'value="{new_email}"' in body
    assert mail.outbox == []
    assert User.objects.filter(email="old@example.org").exists()
