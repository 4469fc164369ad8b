"""The public API: programmes and cohorts with availability, filters, errors, fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.api.views import INVALID_PAGE
from programmes.models import AdmissionMode, Cohort, CostType, DeliveryFormat
from tests import factories
from tests.catalogue import version_reads

pytestmark = pytest.mark.django_db

PROGRAMMES = reverse("api:v1-programme-list")
COHORTS = reverse("api:v1-cohort-list")


def _detail(slug: str) -> str:
    return reverse("api:v1-programme-detail", kwargs={"slug": slug})


def test_programme_list_content(client) -> None:
    funder = factories.ProviderFactory(name="DfE", slug="dfe")
    ipc = factories.ProviderFactory(name="IPC", slug="ipc", website="https://ipc.example.org")
    cohort = factories.CohortFactory(
        programme__title="Commissioning",
        programme__slug="commissioning",
        programme__providers=[ipc],
        programme__funder=funder,
        programme__themes="Markets\n\nOutcomes\n",
        programme__cost_type=CostType.FUNDED,
        programme__cost_amount=None,
        programme__format=DeliveryFormat.ONLINE,
    )
    response = client.get(PROGRAMMES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    [item] = body["results"]
    assert item["slug"] == "commissioning"
    assert item["title"] == "Commissioning"
    assert item["providers"] == [
        {"slug": "ipc", "name": "IPC", "website": "https://ipc.example.org"}
    ]
    assert item["funder"]["slug"] == "dfe"
    assert item["themes"] == ["Markets", "Outcomes"]
    assert item["cost_type"] == "funded" and item["cost_amount"] is None
    assert item["format"] == "online"
    assert item["next_start_date"] == cohort.starts_on.isoformat()
    assert item["open_for_applications"] is True
    assert item["places_available"] is True
    assert item["web_url"] == "http://testserver/programmes/commissioning/"


def test_programme_detail_includes_cohorts_with_availability(client) -> None:
    cohort = factories.CohortFactory(capacity=20, programme__slug="upon")
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=20)
    factories.ApplicationFactory.create_batch(2, cohort=cohort, state="waitlisted")
    body = client.get(_detail("upon")).json()
    assert body["description"]
    [row] = body["cohorts"]
    assert row["id"] == cohort.pk
    assert row["capacity"] == 20
    assert row["places_left"] == 0
    assert row["waiting_list_length"] == 2
    assert row["status"] == "full_waitlist"
    assert row["starts_on"] == cohort.starts_on.isoformat()
    assert "programme" not in row


def test_cohort_list_filters_by_programme_and_gives_availability(client) -> None:
    wanted = factories.CohortFactory(programme__slug="wanted", capacity=12)
    Cohort.objects.filter(pk=wanted.pk).update(places_taken=5)
    factories.ApplicationFactory(cohort=wanted, state="waitlisted")
    factories.CohortFactory(programme__slug="other")
    body = client.get(COHORTS, {"programme": "wanted"}).json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["programme"] == "wanted"
    assert row["capacity"] == 12
    assert row["places_left"] == 7
    assert row["waiting_list_length"] == 1
    assert row["status"] == "open"
    assert row["delivery_mode"] == "blended"
    assert set(row) >= {"starts_on", "ends_on", "applications_open_at", "applications_close_at"}


def test_cohort_list_filters_by_status(client) -> None:
    factories.CohortFactory(programme__admission_mode=AdmissionMode.INVITATION)
    open_one = factories.CohortFactory()
    body = client.get(COHORTS, {"status": "open"}).json()
    assert [row["id"] for row in body["results"]] == [open_one.pk]


def test_unknown_programme_slug_gives_an_empty_cohort_list(client) -> None:
    factories.CohortFactory()
    response = client.get(COHORTS, {"programme": "no-such-programme"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_programmes_filter_like_the_directory(client) -> None:
    factories.CohortFactory(
        programme__title="Match", programme__audience="elected_member", programme__slug="match"
    )
    factories.ProgrammeFactory(title="Other", audience="elected_member")
    factories.ProgrammeFactory(title="Wrong audience")
    body = client.get(PROGRAMMES, {"audience": "elected_member", "open_now": "true"}).json()
    assert [p["slug"] for p in body["results"]] == ["match"]


def test_search_ranks_a_title_match_first(client) -> None:
    factories.ProgrammeFactory(title="Aardvark", slug="body", description="All about resilience.")
    factories.ProgrammeFactory(title="Resilience", slug="title", description="Short.")
    body = client.get(PROGRAMMES, {"q": "resilience"}).json()
    assert [p["slug"] for p in body["results"]] == ["title", "body"]


def test_unpublished_programmes_are_invisible_everywhere_in_the_api(client) -> None:
    draft = factories.CohortFactory(
        programme__is_published=False, programme__slug="draft", programme__title="Draft"
    )
    assert client.get(PROGRAMMES).json()["count"] == 0
    assert client.get(PROGRAMMES, {"q": "draft"}).json()["count"] == 0
    assert client.get(COHORTS).json()["count"] == 0
    assert client.get(COHORTS, {"programme": "draft"}).json()["count"] == 0
    response = client.get(_detail(draft.programme.slug))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Errors: JSON with a message and a code, never a 500 ------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"audience": "astronaut"},
        {"provider": "nobody"},
        {"delivery": "telepathy"},
        {"cost": "priceless"},
        {"open_now": "perhaps"},
        {"places": "2"},
        {"accredited": "maybe"},
        {"starts_from": "2027-13-45"},
        {"starts_from": "2031-05-01", "starts_to": "2031-04-01"},
        {"sort": "random"},
        {"q": "x" * 201},
        {"q": "bad\x00byte"},
    ],
)
def test_bad_programme_filters_are_a_400_naming_the_field(client, params) -> None:
    response = client.get(PROGRAMMES, params)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and body["code"] == "invalid"
    assert set(body["errors"]) & set(params)


def test_bad_cohort_filters_are_a_400(client) -> None:
    for params in ({"status": "sleeping"}, {"starts_from": "soon"}, {"programme": "x" * 101}):
        response = client.get(COHORTS, params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("page", ["0", "abc", "999", "99999999999999999999999999", "1e400"])
def test_bad_page_numbers_are_a_400_with_a_message(client, page) -> None:
    factories.ProgrammeFactory()
    for url in (PROGRAMMES, COHORTS):
        response = client.get(url, {"page": page})
        assert response.status_code == 400
        assert response.json() == {"message": INVALID_PAGE, "code": "invalid_page"}


def test_page_size_is_capped(client) -> None:
    factories.ProgrammeFactory.create_batch(3)
    body = client.get(PROGRAMMES, {"page_size": "100000"}).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    assert client.get(PROGRAMMES, {"page_size": "abc"}).status_code == 200


def test_format_still_chooses_the_renderer(client) -> None:
    """?format= belongs to DRF (JSON now, CSV for enrolment lists later), not to a filter."""
    factories.ProgrammeFactory()
    assert client.get(PROGRAMMES, {"format": "json"}).json()["count"] == 1


def test_api_is_read_only(client) -> None:
    response = client.post(PROGRAMMES, {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- Fixed query counts ---------------------------------------------------------------------


def _catalogue(count: int) -> str:
    slug = ""
    for _ in range(count):
        programme = factories.ProgrammeFactory()
        slug = programme.slug
        for cohort in factories.CohortFactory.create_batch(3, programme=programme):
            factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    return slug


@pytest.mark.parametrize("count", [3, 60])
def test_programme_list_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    _catalogue(count)
    # page of programmes with availability, counting them + their providers
    with django_assert_num_queries(2 + version_reads()):
        assert client.get(PROGRAMMES, {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_programme_detail_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    programme = factories.ProgrammeFactory()
    for cohort in factories.CohortFactory.create_batch(count, programme=programme):
        factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    # programme + providers + cohorts with availability
    with django_assert_num_queries(3 + version_reads()):
        assert client.get(_detail(programme.slug)).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_cohort_list_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    _catalogue(count)
    # count + page of cohorts with availability and programme slug
    with django_assert_num_queries(2 + version_reads()):
        response = client.get(COHORTS, {"page_size": 100})
    assert response.json()["count"] == count * 3


# --- Schema and docs ------------------------------------------------------------------------


def test_schema_describes_the_public_endpoints(client) -> None:
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/programmes/", "/api/v1/programmes/{slug}/", "/api/v1/cohorts/"} <= set(paths)
    names = {p["name"] for p in paths["/api/v1/programmes/"]["get"]["parameters"]}
    assert {
        "q",
        "audience",
        "provider",
        "delivery",
        "cost",
        "open_now",
        "places",
        "starts_from",
    } <= names


def test_docs_load_swagger_ui_from_our_own_static_files(client) -> None:
    body = client.get(reverse("api:docs")).content.decode()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in body
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui.css" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    # The start-up script is its own request (the page has no inline script under the
    # CSP); it must still tell Swagger UI not to call validator.swagger.io.
    script = client.get(reverse("api:docs"), {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script
    assert "cdn" not in script.lower() and "unpkg" not in script.lower()


def test_now_matters_for_status(client) -> None:
    """Availability is computed at request time, not stored."""
    cohort = factories.CohortFactory(applications_close_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(COHORTS).json()["results"][0]["status"] == "open"
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(COHORTS).json()["results"][0]["status"] == "closed"
