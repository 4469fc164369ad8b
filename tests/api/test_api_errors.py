"""Every answer under /api/ is JSON, errors included: a message people can read and a code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.api_errors import NO_SUCH_ENDPOINT, NO_SUCH_FORMAT
from programmes.api.views import NO_SUCH_COHORT
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cohorts/abc/enrolments/",
        "/api/v1/nothing-here/",
        "/api/v2/programmes/",
        "/api/v1/programmes/a%0Ab/",
        "/api/",
    ],
)
def test_an_address_no_endpoint_matches_is_a_json_404(client, url) -> None:
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": NO_SUCH_ENDPOINT, "code": "not_found"}


def test_an_unknown_format_says_which_and_what_the_api_speaks(client) -> None:
    response = client.get(reverse("api:v1-cohort-list"), {"format": "xlsx"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": NO_SUCH_FORMAT % {"format": "xlsx"},
        "code": "unsupported_format",
    }


def test_a_cohort_of_a_published_programme_has_its_own_address(client) -> None:
    cohort = factories.CohortFactory(name="Spring 2027", capacity=12)

    response = client.get(reverse("api:v1-cohort-detail", kwargs={"pk": cohort.pk}))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == cohort.pk
    assert body["name"] == "Spring 2027"
    assert body == next(
        c
        for c in client.get(reverse("api:v1-cohort-list")).json()["results"]
        if c["id"] == cohort.pk
    )


def test_a_cohort_of_an_unpublished_programme_is_not_found(client) -> None:
    cohort = factories.CohortFactory(programme__is_published=False)

    response = client.get(reverse("api:v1-cohort-detail", kwargs={"pk": cohort.pk}))

    assert response.status_code == 404
    assert response.json() == {"message": NO_SUCH_COHORT, "code": "not_found"}


def test_one_cohort_costs_the_same_queries_as_any_other(client, django_assert_num_queries) -> None:
    cohort = factories.CohortFactory()
    with django_assert_num_queries(1):
        client.get(reverse("api:v1-cohort-detail", kwargs={"pk": cohort.pk}))


@pytest.mark.parametrize("url", ["/api/v1/cohorts/", "/api/v1/enrolments/"])
def test_an_accept_header_the_api_cannot_meet_is_a_json_406(client, url) -> None:
    response = client.get(url, headers={"Accept": "application/xml"})

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_acceptable"
