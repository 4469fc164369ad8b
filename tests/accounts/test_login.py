"""Signing in with an email address, and the lockout after repeated wrong passwords."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def _login(client, password: str, ip: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": "kim@example.org", "password": password}, REMOTE_ADDR=ip)


def test_sign_in_field_is_labelled_email_address(client) -> None:
    body = client.get(LOGIN).content.decode()
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Email address', body)
    assert re.search(r'<input type="email" name="username"[^>]*autocomplete="email"', body)


def test_right_password_signs_in(client, password) -> None:
    user = factories.UserFactory(email="kim@example.org")
    response = _login(client, password)
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).context["user"] == user


def test_wrong_password_redisplays_the_form_with_an_error_summary(client) -> None:
    factories.UserFactory(email="kim@example.org")
    response = _login(client, "wrong")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="kim@example.org"' in body


def test_five_wrong_passwords_lock_the_account_from_that_address_only(client, password) -> None:
    factories.UserFactory(email="kim@example.org")
    for _attempt in range(5):
        _login(client, "wrong")

    locked = _login(client, password)

    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    elsewhere = _login(client, password, ip="198.51.100.20")
    assert elsewhere.status_code == 302
    assert "_auth_user_id" in client.session


def test_changing_the_case_of_the_address_does_not_escape_the_lockout(client, password) -> None:
    factories.UserFactory(email="kim@example.org")
    for variant in ["kim@example.org", "KIM@example.org", "Kim@Example.org", "kim@EXAMPLE.ORG"]:
        client.post(LOGIN, {"username": variant, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")

    locked = client.post(
        LOGIN, {"username": "KIM@EXAMPLE.ORG", "password": "wrong"}, REMOTE_ADDR="203.0.113.7"
    )
    assert locked.status_code == 429
    assert _login(client, password).status_code == 429


def test_four_wrong_passwords_do_not_lock(client, password) -> None:
    factories.UserFactory(email="kim@example.org")
    for _attempt in range(4):
        _login(client, "wrong")
    assert _login(client, password).status_code == 302


def test_sign_out_is_post_only(client) -> None:
    client.force_login(factories.UserFactory())
    assert client.get("/account/logout/").status_code == 405
    assert client.post("/account/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_axes_username_reads_either_key_in_one_case() -> None:
    from django.test import RequestFactory

    from accounts.throttling import axes_username

    request = RequestFactory().post("/admin/login/", {"username": " Root@Example.org "})
    assert axes_username(request, {"username": "Kim@Example.org"}) == "kim@example.org"
    assert axes_username(request, {"email": "KIM@example.org"}) == "kim@example.org"
    assert axes_username(request, None) == "root@example.org"
    assert axes_username(request, {"password": "x"}) is None


def test_admin_sign_in_locks_too(client, password) -> None:
    factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _attempt in range(5):
        client.post(
            "/admin/login/",
            {"username": "root@example.org", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        )

    locked = client.post(
        "/admin/login/",
        {"username": "root@example.org", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )

    assert locked.status_code == 429
    # Our own sign-in form, in any case, counts towards the same lockout.
    assert (
        client.post(
            LOGIN, {"username": "ROOT@example.org", "password": password}, REMOTE_ADDR="203.0.113.7"
        ).status_code
        == 429
    )
