"""Per-address limits: one machine cannot try many accounts, addresses or signed links."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal import rate_limits
from portal.rate_limits import LIMITS, TOO_MANY_FOR_THE_API, Limit
from tests import factories

pytestmark = pytest.mark.django_db

KWARGS = {
    "accounts:verify_email": {"token": "not-a-real-token"},
    "accounts:change_email_confirm": {"token": "not-a-real-token"},
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "applications:waitlist_leave_link": {"token": "not-a-real-token"},
}


def _url(name: str, slug: str) -> str:
    if name.startswith("programmes:"):
        kwargs = {"slug": slug}
        if name != "programmes:future_dates":
            kwargs["token"] = "not-a-real-token"
        return reverse(name, kwargs=kwargs)
    return reverse(name, kwargs=KWARGS.get(name, {}))


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_each_limited_endpoint_answers_429_in_the_site_layout_once_over(name, monkeypatch) -> None:
    methods = LIMITS[name].methods
    monkeypatch.setitem(rate_limits.LIMITS, name, Limit("2/h", methods))
    url = _url(name, factories.ProgrammeFactory().slug)
    send = getattr(Client(REMOTE_ADDR="203.0.113.7"), methods[-1].lower())

    first, second, third = send(url), send(url), send(url)

    assert first.status_code != 429 and second.status_code != 429
    assert third.status_code == 429
    assert "Too many attempts" in third.content.decode()
    assert third["Retry-After"] == "3600"
    # Someone on another connection is not held back by this one.
    other = getattr(Client(REMOTE_ADDR="198.51.100.4"), methods[-1].lower())
    assert other(url).status_code != 429


def test_sign_up_takes_twenty_tries_an_hour_from_one_address() -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("accounts:signup")
    statuses = [client.post(url, {"email": f"p{n}@example.org"}).status_code for n in range(21)]

    assert 429 not in statuses[:20]
    assert statuses[20] == 429


def test_reading_a_limited_page_does_not_count_against_its_form() -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(30):
        assert client.get(reverse("accounts:signup")).status_code == 200


def test_a_throttled_api_caller_gets_json() -> None:
    request = Client().get("/api/v1/cohorts/").wsgi_request
    response = rate_limits.too_many_requests(request)

    assert response.status_code == 429
    assert json.loads(response.content)["message"] == TOO_MANY_FOR_THE_API
