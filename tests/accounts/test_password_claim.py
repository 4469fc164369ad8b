"""A reset link proves the mailbox; invited accounts without a password can ask for one."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-and-unusual-passphrase-8"


def _reset_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def _reset_through_the_link(client: Client, email: str, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": email})
    link = client.get(_reset_path(mail.outbox[-1].body))
    assert link.status_code == 302
    with capture(execute=True):
        done = client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302


def test_setting_a_password_through_a_reset_link_confirms_the_address(
    client, django_capture_on_commit_callbacks
) -> None:
    user = factories.UserFactory(email="kim@example.org", email_verified_at=None)

    _reset_through_the_link(client, "kim@example.org", django_capture_on_commit_callbacks)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is not None


def test_changing_the_password_when_signed_in_does_not_confirm_the_address(
    client, password
) -> None:
    user = factories.UserFactory(email="kim@example.org", email_verified_at=None)
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is None


def test_an_invited_account_with_no_password_yet_can_ask_for_a_link(
    client, django_capture_on_commit_callbacks
) -> None:
    user = User.objects.create_user("invited@example.org", None)
    assert not user.has_usable_password()

    _reset_through_the_link(client, "Invited@example.org", django_capture_on_commit_callbacks)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified


def test_a_closed_account_gets_no_link(client, django_capture_on_commit_callbacks) -> None:
    factories.UserFactory(email="gone@example.org", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "gone@example.org"})

    assert mail.outbox == []
