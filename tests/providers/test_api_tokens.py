"""API tokens: optional expiry, last use written at most once a minute, making and revoking
on record, and revoked (never deleted) by administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from providers.api.authentication import EXPIRED_TOKEN
from providers.models import ProviderApiToken
from providers.services import token_create
from tests import factories

from .conftest import Side

pytestmark = pytest.mark.django_db


def _call(key: str, side: Side) -> Any:
    url = reverse("api:v1-cohort-enrolments", args=[side.cohort.pk])
    return Client().get(url, headers={"Authorization": f"Token {key}"})


def test_a_token_made_to_expire_in_30_days_says_so_and_works_until_then(a: Side) -> None:
    a.client.post(reverse("provider:tokens"), {"name": "Records", "valid_for": "30"})
    token = ProviderApiToken.objects.get()

    assert token.expires_at is not None
    expected = timezone.now() + dt.timedelta(days=30)
    assert abs(token.expires_at - expected) < dt.timedelta(minutes=1)
    assert "Expires" in a.client.get(reverse("provider:tokens")).content.decode()


def test_an_expired_token_is_refused_with_a_reason(a: Side) -> None:
    token, key = token_create(provider=a.provider, by=a.user, name="Old")
    ProviderApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    response = _call(key, a)

    assert response.status_code == 401
    assert response.json() == {"message": EXPIRED_TOKEN, "code": "expired_token"}


def test_last_use_is_written_at_most_once_a_minute(a: Side) -> None:
    token, key = token_create(provider=a.provider, by=a.user, name="Busy")
    assert _call(key, a).status_code == 200
    first_use = ProviderApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None

    for _ in range(3):
        _call(key, a)
    assert ProviderApiToken.objects.get(pk=token.pk).last_used_at == first_use

    ProviderApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    _call(key, a)
    assert ProviderApiToken.objects.get(pk=token.pk).last_used_at > first_use


def test_making_and_revoking_a_token_are_on_record_with_who_did_it(a: Side) -> None:
    a.client.post(reverse("provider:tokens"), {"name": "Records"})
    token = ProviderApiToken.objects.get()
    a.client.post(reverse("provider:token_revoke", args=[token.pk]))

    entries = LogEntry.objects.get_for_object(token).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == a.user for e in entries)
    assert "revoked_at" in entries[1].changes_dict
    assert all("key_hash" not in e.changes_dict for e in entries)


def test_administrators_revoke_tokens_in_the_admin_and_cannot_delete_them(a: Side) -> None:
    token, key = token_create(provider=a.provider, by=a.user, name="Records")
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:providers_providerapitoken_changelist")

    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _call(key, a).status_code == 401
    assert (
        client.get(reverse("admin:providers_providerapitoken_delete", args=[token.pk])).status_code
        == 403
    )
    assert LogEntry.objects.get_for_object(token).filter(actor=admin).exists()
