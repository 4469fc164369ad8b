"""Sign-up, email verification, and the guard that keeps unverified people from applying."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from accounts.decorators import verified_email_required
from accounts.models import User
from accounts.services import EMAIL_TAKEN, TOO_SOON
from accounts.tokens import email_verify_token
from accounts.views import LINK_EXPIRED, LINK_INVALID
from portal.validators import LOOKS_LIKE_A_FORMULA
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-42"


def _signup(client, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "full_name": "Jo Bloggs",
        "email": "Jo.Bloggs@Example.org",
        "password1": STRONG,
        "password2": STRONG,
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def _link(message: mail.EmailMessage) -> str:
    """The path of the verification link in an email (its host is SITE_URL's)."""
    match = re.search(r"https?://[^/\s]+(/account/verify/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_creates_an_unverified_account_signs_in_and_emails_a_link(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    user = User.objects.get()
    assert user.email == "jo.bloggs@example.org"
    assert user.full_name == "Jo Bloggs"
    assert user.email_verified_at is None
    assert client.get(reverse("accounts:home")).context["user"] == user
    assert [m.to for m in mail.outbox] == [["jo.bloggs@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Confirm your email address"
    assert "Hello Jo," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and _link(message) in html


def test_verification_link_asks_first_then_confirms_once(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    link = _link(mail.outbox[0])

    # A mail scanner's GET must not verify anything.
    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm my email address" in page.content
    assert User.objects.get().email_verified_at is None

    assert client.post(link).status_code == 302
    verified_at = User.objects.get().email_verified_at
    assert verified_at is not None

    again = client.post(link, follow=True)
    assert User.objects.get().email_verified_at == verified_at
    assert again.status_code == 200
    assert b"already confirmed" in client.get(link).content


def test_tampered_verification_link_is_refused(client) -> None:
    user = factories.UserFactory(email_verified_at=None)
    token = email_verify_token(user)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(reverse("accounts:verify_email", kwargs={"token": tampered}))

    assert response.status_code == 400
    assert str(LINK_INVALID) in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_expired_verification_link_is_refused_with_a_way_to_get_a_new_one(client) -> None:
    user = factories.UserFactory(email_verified_at=None)
    four_days_ago = signing.b62_encode(int(time.time()) - 4 * 24 * 3600)
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=four_days_ago):
        token = email_verify_token(user)
    client.force_login(user)

    response = client.post(reverse("accounts:verify_email", kwargs={"token": token}))

    assert response.status_code == 400
    body = response.content.decode()
    assert str(LINK_EXPIRED) in body
    assert reverse("accounts:resend_verification") in body and "Send a new link" in body
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_verification_link_stops_working_when_the_address_changes(client) -> None:
    user = factories.UserFactory(email="old@example.org", email_verified_at=None)
    token = email_verify_token(user)
    user.email = "new@example.org"
    user.save()

    response = client.post(reverse("accounts:verify_email", kwargs={"token": token}))

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_duplicate_address_says_an_account_exists_and_links_to_sign_in(client) -> None:
    factories.UserFactory(email="taken@example.org")

    response = _signup(client, email="TAKEN@example.org")

    assert response.status_code == 200
    assert User.objects.count() == 1
    body = response.content.decode()
    assert str(EMAIL_TAKEN) in body
    assert reverse("accounts:login") in body and reverse("accounts:password_reset") in body
    assert mail.outbox == []


def test_signup_errors_link_to_each_field_and_keep_what_was_typed(client) -> None:
    response = _signup(client, full_name="", email="Jo.Bloggs@Example.org", password2="different")

    assert response.status_code == 200
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_full_name"' in body and 'href="#id_password2"' in body
    assert 'value="Jo.Bloggs@Example.org"' in body
    assert "<title>Error:" in body
    assert User.objects.count() == 0


def test_signup_applies_djangos_password_validators(client) -> None:
    response = _signup(client, password1="password", password2="password")

    assert response.status_code == 200
    assert response.context["form"].has_error("password1")
    assert 'href="#id_password1"' in response.content.decode()
    assert User.objects.count() == 0


def test_signed_in_people_are_sent_from_signup_to_their_account(client) -> None:
    client.force_login(factories.UserFactory())
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302 and response.url == reverse("accounts:home")


def test_resend_sends_a_new_link_at_most_once_a_minute(
    client, django_capture_on_commit_callbacks
) -> None:
    user = factories.UserFactory(email="slow@example.org", email_verified_at=None)
    client.force_login(user)
    url = reverse("accounts:resend_verification")

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["slow@example.org"]
    assert "We have sent a link to slow@example.org" in first.content.decode()
    assert str(TOO_SOON) in second.content.decode()
    # The resent link works.
    assert client.post(_link(mail.outbox[0])).status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_resend_is_post_only_and_needs_sign_in(client) -> None:
    url = reverse("accounts:resend_verification")
    anonymous = client.post(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))
    client.force_login(factories.UserFactory(email_verified_at=None))
    assert client.get(url).status_code == 405


@verified_email_required
def _protected(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"ok {pk}")


def _request(user):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/account/applications/new/7/?x=1")
    request.user = user or AnonymousUser()
    return request


def test_verified_email_required_sends_anonymous_visitors_to_sign_in() -> None:
    response = _protected(_request(None), pk=7)
    assert response.status_code == 302
    assert response.url == "/account/login/?next=/account/applications/new/7/%3Fx%3D1"


def test_verified_email_required_sends_unverified_people_to_verify() -> None:
    response = _protected(_request(factories.UserFactory(email_verified_at=None)), pk=7)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify_needed") + "?next=")


def test_verified_email_required_lets_verified_people_through() -> None:
    response = _protected(_request(factories.UserFactory()), pk=7)
    assert response.content == b"ok 7"


def test_verify_needed_page_explains_and_offers_a_new_link(client) -> None:
    client.force_login(factories.UserFactory(email_verified_at=None))
    body = client.get(reverse("accounts:verify_needed")).content.decode()
    assert "Before you can apply for a programme" in body
    assert reverse("accounts:resend_verification") in body


def test_verify_needed_page_offers_only_safe_continue_links(client) -> None:
    client.force_login(factories.UserFactory())
    url = reverse("accounts:verify_needed")
    assert (
        'href="/account/applications/"'
        in client.get(url + "?next=/account/applications/").content.decode()
    )
    assert "evil.example" not in client.get(url + "?next=https://evil.example/").content.decode()


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+44 Jo", "-Jo", "@Jo"])
def test_signup_refuses_a_name_a_spreadsheet_would_run_as_a_formula(client, name: str) -> None:
    response = _signup(client, full_name=name)

    assert response.status_code == 200
    message = str(LOOKS_LIKE_A_FORMULA) % {"character": name[0]}
    assert response.context["form"].errors["full_name"] == [message]
    assert escape(message) in response.content.decode()
    assert User.objects.count() == 0
