"""Schemathesis fuzzes every API operation against the OpenAPI schema the portal serves.

Each test loads /api/schema/ from the running app, then sends generated requests (valid
and deliberately invalid) straight to the WSGI application over real PostgreSQL data, and
fails on a 5xx, a status code or content type the schema does not list, or a body that
does not match it. It runs once anonymously and once with a provider token. Hypothesis is
derandomized and the examples per operation are bounded, so a run is repeatable and quick.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from applications.models import ApplicationState
from providers.services import token_create
from tests import factories
from tests.providers.conftest import enrol

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Per operation and phase; six operations, two callers. Enough to reach every parameter.
MAX_EXAMPLES = 20
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
# Every other built-in check runs: no 5xx, only documented status codes, content types and
# headers, bodies that match their schema, 405 for methods an operation lacks. These two
# guess at validation the schema cannot express, and would fail on documented behaviour:
# a filter left empty (`?starts_to=`) means "any", as the directory's own form sends it,
# and a value the schema allows can still be refused with a documented 400 (an unknown
# provider slug, a start window that ends before it begins).
NOT_CHECKED = [negative_data_rejection, positive_data_acceptance]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, kept on the test's database connection and transaction.

    Django closes the connection when a request finishes; that would end the test's
    transaction (and its data), so, as Django's own test client does, not here.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # On the schema too: checks that send a request again (without the token, say) use it.
    schema.app = app = get_wsgi_application()
    try:
        yield app
    finally:
        schema.app = None
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def portal_data(db: Any) -> dict[str, Any]:
    """Two providers' programmes with cohorts, and people enrolled on one of them."""
    provider = factories.ProviderFactory(name="Provider A", slug="provider-a")
    programme = factories.ProgrammeFactory(providers=[provider], slug="programme-a")
    cohort = factories.CohortFactory(programme=programme, name="Spring A")
    factories.CohortFactory(programme=programme, name="Autumn A")
    enrol(cohort)
    enrol(cohort, state=ApplicationState.COMPLETED, full_name="Ada Price")
    other = factories.ProgrammeFactory(
        providers=[factories.ProviderFactory(slug="provider-b")], slug="programme-b"
    )
    factories.CohortFactory(programme=other, name="Spring B")
    factories.ProgrammeFactory(is_published=False, slug="programme-draft")
    staff = factories.UserFactory(email="staff-a@example.org")
    factories.ProviderMembershipFactory(user=staff, provider=provider)
    return {"provider": provider, "staff": staff, "cohort": cohort}


@pytest.fixture
def token_key(portal_data: dict[str, Any]) -> str:
    return token_create(provider=portal_data["provider"], by=portal_data["staff"], name="Fuzz")[1]


def _served_schema() -> dict[str, Any]:
    """The document /api/schema/ serves (it needs no database, so it loads at collection)."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_served_schema())


def test_the_fuzzed_schema_is_the_one_the_api_serves(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(_served_schema(), default=str))


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_keeps_to_its_schema_for_anyone(
    case: Any, wsgi_app: Any, portal_data: dict[str, Any]
) -> None:
    case.call_and_validate(app=wsgi_app, excluded_checks=NOT_CHECKED)


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_keeps_to_its_schema_for_a_provider_token(
    case: Any, wsgi_app: Any, token_key: str
) -> None:
    case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Token {token_key}"},
        excluded_checks=NOT_CHECKED,
    )


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/api/v1/cohorts/{id}/enrolments/", {}, "application/json"),
        ("/api/v1/cohorts/{id}/enrolments/", {"format": "csv"}, "text/csv"),
        ("/api/v1/enrolments/", {"programme": "programme-a"}, "application/json"),
        ("/api/v1/enrolments/", {"programme": "programme-a", "format": "csv"}, "text/csv"),
        ("/api/v1/cohorts/{id}/", {}, "application/json"),
        ("/api/v1/programmes/{slug}/", {}, "application/json"),
    ],
)
def test_answers_with_real_rows_keep_to_the_schema(
    wsgi_app: Any,
    portal_data: dict[str, Any],
    token_key: str,
    path: str,
    query: dict[str, str],
    expected: str,
) -> None:
    """Random ids and slugs mostly miss; these reach real enrolments, a cohort, a programme."""
    names = {"id": portal_data["cohort"].pk, "slug": "programme-a"}
    operation = schema[path]["GET"]
    case = operation.Case(
        path_parameters={p.name: names[p.name] for p in operation.path_parameters},
        query=query,
    )

    response = case.call_and_validate(
        app=wsgi_app,
        headers={"Authorization": f"Token {token_key}"},
        excluded_checks=NOT_CHECKED,
    )

    assert response.status_code == 200
    assert response.headers["content-type"][0].startswith(expected)
    if expected == "application/json" and "enrolments" in path:
        assert response.json()["count"] == 2
