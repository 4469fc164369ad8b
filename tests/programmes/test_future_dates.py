""" "Tell me about future dates": double opt-in, stored consent, deduped, unsubscribable."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from programmes.forms import CONSENT_REQUIRED, EMAIL_INVALID
from programmes.models import FutureDatesSubscription
from programmes.services.future_dates import (
    CONFIRMATION_RESEND_AFTER,
    SubscriptionEnded,
    future_dates_confirm,
    future_dates_subscribe,
    future_dates_unsubscribe,
)
from programmes.tokens import CONFIRM_MAX_AGE
from tests import factories

pytestmark = pytest.mark.django_db


def _closed_programme():
    now = timezone.now()
    return factories.CohortFactory(
        applications_open_at=now - dt.timedelta(days=20),
        applications_close_at=now - dt.timedelta(days=1),
    ).programme


def _sign_up(client, programme, email: str = "Jo@Example.org", consent: bool = True):
    data = {"email": email, **({"consent": "on"} if consent else {})}
    return client.post(reverse("programmes:future_dates", kwargs={"slug": programme.slug}), data)


def _links(email: Email) -> tuple[str, str]:
    confirm = re.search(r"https?://\S+/future-dates/confirm/\S+/", email.message)
    unsubscribe = re.search(r"https?://\S+/future-dates/unsubscribe/\S+/", email.message)
    assert confirm and unsubscribe
    path = lambda url: "/" + url.split("/", 3)[3]  # noqa: E731
    return path(confirm.group(0)), path(unsubscribe.group(0))


def test_sign_up_stores_consent_and_emails_a_confirmation_link(client) -> None:
    programme = _closed_programme()
    response = _sign_up(client, programme)
    assert response.status_code == 302
    assert response["Location"].endswith("#future-dates")
    subscription = FutureDatesSubscription.objects.get()
    assert subscription.email == "jo@example.org"
    assert programme.title in subscription.consent_text
    assert subscription.consented_at is not None
    assert subscription.confirmed_at is None
    email = Email.objects.get()
    assert email.to == ["jo@example.org"]
    assert programme.title in email.subject
    assert "/future-dates/confirm/" in email.message
    assert "/future-dates/unsubscribe/" in email.message
    assert "/future-dates/confirm/" in email.html_message
    followed = client.get(response["Location"])
    assert "Check your email" in followed.content.decode()


def test_repeated_sign_ups_make_one_row_and_one_email(client) -> None:
    programme = _closed_programme()
    for email in ("jo@example.org", "JO@example.org ", "jo@example.org"):
        assert _sign_up(client, programme, email).status_code == 302
    assert FutureDatesSubscription.objects.count() == 1
    assert Email.objects.count() == 1


def test_confirmation_can_be_resent_after_a_pause() -> None:
    programme = factories.ProgrammeFactory()
    subscription = future_dates_subscribe(
        programme=programme, email="a@example.org", consent_text="x"
    )
    FutureDatesSubscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent_at=timezone.now() - CONFIRMATION_RESEND_AFTER - dt.timedelta(seconds=1)
    )
    future_dates_subscribe(programme=programme, email="a@example.org", consent_text="x")
    assert Email.objects.count() == 2


def test_a_confirmed_address_gets_no_second_email() -> None:
    subscription = factories.FutureDatesSubscriptionFactory(confirmed_at=timezone.now())
    future_dates_subscribe(
        programme=subscription.programme, email=subscription.email, consent_text="x"
    )
    assert Email.objects.count() == 0


def test_invalid_sign_up_shows_errors_on_the_programme_page(client) -> None:
    programme = _closed_programme()
    response = _sign_up(client, programme, email="not-an-email", consent=False)
    assert response.status_code == 200
    body = response.content.decode()
    assert str(EMAIL_INVALID) in body
    assert str(CONSENT_REQUIRED) in body
    assert FutureDatesSubscription.objects.count() == 0
    assert Email.objects.count() == 0


def test_sign_up_is_post_only(client) -> None:
    programme = _closed_programme()
    url = reverse("programmes:future_dates", kwargs={"slug": programme.slug})
    assert client.get(url).status_code == 405


def test_confirm_link_shows_a_button_and_post_confirms(client) -> None:
    programme = _closed_programme()
    _sign_up(client, programme)
    confirm_path, _unsubscribe = _links(Email.objects.get())
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Confirm your email address" in page.content.decode()
    assert FutureDatesSubscription.objects.get().confirmed_at is None  # GET changes nothing
    done = client.post(confirm_path)
    assert done.status_code == 200
    assert "You are signed up" in done.content.decode()
    assert FutureDatesSubscription.objects.get().is_active
    assert client.post(confirm_path).status_code == 200  # idempotent


def test_unsubscribe_link_asks_on_get_and_unsubscribes_on_post(client) -> None:
    programme = _closed_programme()
    _sign_up(client, programme)
    confirm_path, unsubscribe_path = _links(Email.objects.get())
    client.post(confirm_path)

    # Mail scanners follow every link: opening it changes nothing and shows a button.
    for _scan in range(2):
        page = client.get(unsubscribe_path)
        assert page.status_code == 200
        assert '<form method="post">' in page.content.decode()
        assert "Unsubscribe</button>" in page.content.decode()
    assert FutureDatesSubscription.objects.get().is_active

    response = client.post(unsubscribe_path)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    subscription = FutureDatesSubscription.objects.get()
    assert subscription.unsubscribed_at is not None and not subscription.is_active


def test_unsubscribing_twice_is_harmless_and_the_link_then_says_so(client) -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    url = reverse(
        "programmes:future_dates_unsubscribe",
        kwargs={"slug": subscription.programme.slug, "token": subscription.unsubscribe_token},
    )
    assert client.post(url).status_code == 200
    first = FutureDatesSubscription.objects.get().unsubscribed_at
    assert client.post(url).status_code == 200
    assert FutureDatesSubscription.objects.get().unsubscribed_at == first
    assert "You have unsubscribed" in client.get(url).content.decode()


def test_a_mail_app_can_unsubscribe_in_one_click_without_a_csrf_token() -> None:
    from django.test import Client

    subscription = factories.FutureDatesSubscriptionFactory()
    url = reverse(
        "programmes:future_dates_unsubscribe",
        kwargs={"slug": subscription.programme.slug, "token": subscription.unsubscribe_token},
    )
    # RFC 8058: the mail app POSTs this body, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_an_old_confirm_link_cannot_undo_an_unsubscribe() -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    future_dates_unsubscribe(subscription=subscription)
    with pytest.raises(SubscriptionEnded):
        future_dates_confirm(subscription=subscription)


def test_signing_up_again_after_unsubscribing_needs_a_new_confirmation() -> None:
    subscription = factories.FutureDatesSubscriptionFactory(confirmed_at=timezone.now())
    future_dates_unsubscribe(subscription=subscription)
    again = future_dates_subscribe(
        programme=subscription.programme, email=subscription.email, consent_text="again"
    )
    assert again.pk == subscription.pk
    assert again.unsubscribed_at is None and again.confirmed_at is None
    assert again.consent_text == "again"
    assert Email.objects.count() == 1


@pytest.mark.parametrize("name", ["future_dates_confirm", "future_dates_unsubscribe"])
def test_tampered_links_are_refused_with_a_message(client, name) -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    token = subscription.confirm_token[:-2] + "xx"
    url = reverse(
        f"programmes:{name}", kwargs={"slug": subscription.programme.slug, "token": token}
    )
    response = client.get(url)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_confirm_token_is_not_an_unsubscribe_token(client) -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    url = reverse(
        "programmes:future_dates_unsubscribe",
        kwargs={"slug": subscription.programme.slug, "token": subscription.confirm_token},
    )
    assert client.get(url).status_code == 400
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


def test_a_token_for_another_programme_is_refused(client) -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    other = factories.ProgrammeFactory()
    url = reverse(
        "programmes:future_dates_confirm",
        kwargs={"slug": other.slug, "token": subscription.confirm_token},
    )
    assert client.get(url).status_code == 400


def test_confirm_links_expire(client, monkeypatch) -> None:
    subscription = factories.FutureDatesSubscriptionFactory()
    token = subscription.confirm_token
    real_time = signing.time.time
    monkeypatch.setattr(
        signing.time, "time", lambda: real_time() + CONFIRM_MAX_AGE.total_seconds() + 60
    )
    url = reverse(
        "programmes:future_dates_confirm",
        kwargs={"slug": subscription.programme.slug, "token": token},
    )
    assert client.get(url).status_code == 400
