from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from portal.spreadsheets import BOM
from providers.api.authentication import BAD_TOKEN, NO_TOKEN
from providers.api.throttling import ProviderTokenThrottle
from providers.api.views import BAD_UPDATED_SINCE, NO_SUCH_COHORT, NO_SUCH_PROGRAMME
from providers.models import ExportRecord, ProviderApiToken
from providers.services import hash_key, token_create

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


def _key(side: Side) -> str:
    return token_create(provider=side.provider, by=side.user, name="Records")[1]


def _get(key: str | None, url: str, **params: Any) -> Any:
    headers = {"Authorization": f"Token {key}"} if key else {}
    return Client().get(url, params, headers=headers)


def _cohort_url(side: Side) -> str:
    return reverse("api:v1-cohort-enrolments", args=[side.cohort.pk])


def test_tokens_are_shown_once_and_stored_hashed(a: Side) -> None:
    response = a.client.post(reverse("provider:tokens"), {"name": "Student records"})
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = ProviderApiToken.objects.get()
    assert (token.name, token.prefix, token.key_hash) == ("Student records", key[:8], hash_key(key))
    assert key not in str(list(ProviderApiToken.objects.values_list()))
    listing = a.client.get(reverse("provider:tokens")).content.decode()
    assert key not in listing and key[:8] in listing


def test_a_token_reads_its_cohort_page_by_page(a: Side) -> None:
    people = [enrol(a.cohort, full_name=f"Person {n}") for n in range(3)]
    response = _get(_key(a), _cohort_url(a), page_size=2)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["next"] and len(body["results"]) == 2
    first = body["results"][0]
    assert first == {
        "id": people[0].pk,
        "full_name": "Person 0",
        "email": people[0].snapshot["email"],
        "job_title": "Head of service",
        "employer": "Cardiff Council",
        "local_authority": "Cardiff",
        "nation": "Wales",
        "enrolled_at": "2026-03-02T10:30:00Z",
        "status": "enrolled",
        "status_label": "Enrolled",
        "accreditation": "ILM Level 7",
        "programme": a.programme.slug,
        "cohort_id": a.cohort.pk,
        "cohort": a.cohort.name,
        "updated_at": first["updated_at"],
    }
    assert "SECRET-EQUALITY-ANSWER" not in response.content.decode()
    assert ExportRecord.objects.get().via == "api"


def test_api_csv_is_the_same_streamed_export(a: Side) -> None:
    enrol(a.cohort, full_name="=cmd|' /C calc'!A0")
    response = _get(_key(a), _cohort_url(a), format="csv")
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "Name" and rows[1][0] == "'=cmd|' /C calc'!A0"
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{a.programme.slug}_spring-a_enrolments_{stamp}.csv"'
    )


def test_a_token_cannot_reach_another_providers_data(a: Side, b: Side) -> None:
    enrol(b.cohort)
    key = _key(a)
    response = _get(key, _cohort_url(b))
    assert response.status_code == 404
    assert response.json() == {"message": NO_SUCH_COHORT, "code": "not_found"}
    response = _get(key, _cohort_url(b), format="csv")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = _get(key, reverse("api:v1-enrolments"), programme=b.programme.slug)
    assert response.status_code == 404
    assert response.json() == {"message": NO_SUCH_PROGRAMME, "code": "not_found"}


def test_no_bad_or_revoked_tokens_are_refused(a: Side) -> None:
    url = _cohort_url(a)
    response = _get(None, url)
    assert response.status_code == 401
    assert response.json() == {"message": NO_TOKEN, "code": "not_authenticated"}
    assert response["WWW-Authenticate"] == "Token"
    response = _get("not-a-real-key", url)
    assert response.status_code == 401
    assert response.json() == {"message": BAD_TOKEN, "code": "invalid_token"}


def test_a_revoked_token_is_refused_at_once(a: Side) -> None:
    key = _key(a)
    assert _get(key, _cohort_url(a)).status_code == 200
    token = ProviderApiToken.objects.get()
    response = a.client.post(reverse("provider:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    response = _get(key, _cohort_url(a))
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


def test_a_provider_cannot_revoke_another_providers_token(a: Side, b: Side) -> None:
    key = _key(b)
    token = ProviderApiToken.objects.get()
    response = a.client.post(reverse("provider:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert _get(key, _cohort_url(b)).status_code == 200


def test_sync_returns_only_what_changed_since(a: Side) -> None:
    old = enrol(a.cohort, full_name="Old")
    new = enrol(a.cohort, full_name="New")
    Application.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Application.objects.filter(pk=new.pk).update(updated_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    url = reverse("api:v1-enrolments")
    key = _key(a)
    everyone = _get(key, url, programme=a.programme.slug).json()["results"]
    assert [row["full_name"] for row in everyone] == ["Old", "New"]
    since = _get(key, url, programme=a.programme.slug, updated_since="2026-01-15T00:00:00Z")
    assert [row["full_name"] for row in since.json()["results"]] == ["New"]


def test_sync_refuses_a_bad_date_with_json(a: Side) -> None:
    response = _get(
        _key(a), reverse("api:v1-enrolments"), programme=a.programme.slug, updated_since="soon"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"updated_since": [BAD_UPDATED_SINCE]}
    response = _get(_key(a), reverse("api:v1-enrolments"))
    assert response.status_code == 400 and "programme" in response.json()["errors"]


def test_requests_are_rate_limited_per_token(a: Side, monkeypatch: Any) -> None:
    monkeypatch.setattr(ProviderTokenThrottle, "rate", "2/min")
    key, other = _key(a), _key(a)
    assert _get(key, _cohort_url(a)).status_code == 200
    assert _get(key, _cohort_url(a)).status_code == 200
    response = _get(key, _cohort_url(a))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert _get(other, _cohort_url(a)).status_code == 200


@pytest.mark.parametrize("size", [3, 60])
def test_api_lists_cost_the_same_queries_at_any_size(
    a: Side, size: int, django_assert_num_queries: Any
) -> None:
    for _ in range(size):
        enrol(a.cohort)
    key = _key(a)
    # token, last used, cohort, count, page, export record
    with django_assert_num_queries(6):
        response = _get(key, _cohort_url(a), page_size=100)
    assert len(response.json()["results"]) == size
    # token, programme, count, page, export record: last use was written a moment ago
    # and is not written again within the minute
    with django_assert_num_queries(5):
        response = _get(key, reverse("api:v1-enrolments"), programme=a.programme.slug)
    assert response.json()["count"] == size


def test_the_schema_documents_the_token_and_the_endpoints(db: Any) -> None:
    schema = Client().get(reverse("api:schema"), {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["providerToken"]["name"] == "Authorization"
    operation = schema["paths"]["/api/v1/cohorts/{id}/enrolments/"]["get"]
    assert operation["security"] == [{"providerToken": []}]
    assert "text/csv" in operation["responses"]["200"]["content"]
    assert "/api/v1/enrolments/" in schema["paths"]
