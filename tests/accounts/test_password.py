"""Password reset by email (through the outbox) and password change when signed in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from post_office.models import Email

from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-and-unusual-passphrase-7"


def _reset_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_sends_a_link_through_the_outbox_and_the_link_works(
    client, django_capture_on_commit_callbacks
) -> None:
    user = factories.UserFactory(email="kim@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "KIM@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    queued = Email.objects.get()
    assert queued.to == ["kim@example.org"]
    assert queued.subject == "Reset your password"
    assert queued.html_message and _reset_path(queued.message) in queued.html_message
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]

    link = client.get(_reset_path(mail.outbox[0].body))
    assert link.status_code == 302  # swapped for a token-free URL
    form_page = client.get(link.url)
    assert form_page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The owner is told, and the link cannot be used twice.
    assert mail.outbox[-1].subject == "Your password has been changed"
    assert b"This link does not work" in client.get(_reset_path(mail.outbox[0].body)).content


def test_password_reset_does_not_reveal_whether_an_account_exists(
    client, django_capture_on_commit_callbacks
) -> None:
    factories.UserFactory(email="kim@example.org")
    url = reverse("accounts:password_reset")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "kim@example.org"})
        unknown = client.post(url, {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    done = client.get(known.url).content.decode()
    assert "If there is an account with that email address" in done


def test_password_reset_with_a_bad_address_redisplays_with_an_error_summary(client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "not-an-address"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#id_email"' in body and 'value="not-an-address"' in body


def test_password_change_needs_the_current_password_and_keeps_you_signed_in(
    client, password, django_capture_on_commit_callbacks
) -> None:
    user = factories.UserFactory(email="kim@example.org")
    client.force_login(user)
    url = reverse("accounts:password_change")

    wrong = client.post(
        url,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert 'href="#id_old_password"' in wrong.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        right = client.post(
            url,
            {
                "old_password": password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert right.status_code == 302
    assert right.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:home")).status_code == 200
    assert [m.subject for m in mail.outbox] == ["Your password has been changed"]
