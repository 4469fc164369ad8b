from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from providers.views import ENROLMENT_PAGE_SIZE, NOT_A_PROVIDER
from tests import factories
from tests.queries import session_reads

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


def test_home_lists_own_cohorts_with_enrolment_counts(a: Side, b: Side) -> None:
    enrol(a.cohort)
    enrol(a.cohort, state="completed")
    enrol(a.cohort, state="offered")
    response = a.client.get(reverse("provider:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert a.cohort.name in html and b.cohort.name not in html
    assert response.context["cohorts"][0].enrolled_count == 2


def test_enrolment_list_shows_each_column(a: Side) -> None:
    enrol(a.cohort, full_name="Amira Khan", job_title="Head of service", employer="Cardiff Council")
    response = a.client.get(reverse("provider:cohort", args=[a.cohort.pk]))
    html = response.content.decode()
    for text in (
        "Amira Khan",
        "Head of service",
        "Cardiff Council",
        "Wales",
        "2 Mar 2026",
        "Enrolled",
    ):
        assert text in html
    assert "SECRET-EQUALITY-ANSWER" not in html


def test_enrolment_list_filters_by_status(a: Side) -> None:
    enrol(a.cohort, full_name="Still Going")
    enrol(a.cohort, full_name="All Done", state="completed")
    response = a.client.get(reverse("provider:cohort", args=[a.cohort.pk]), {"status": "completed"})
    names = [row["full_name"] for row in response.context["rows"]]
    assert names == ["All Done"]


def test_another_providers_cohort_is_not_found(a: Side, b: Side) -> None:
    enrol(b.cohort)
    assert a.client.get(reverse("provider:cohort", args=[b.cohort.pk])).status_code == 404


def test_people_outside_a_provider_are_refused(a: Side) -> None:
    client = Client()
    client.force_login(factories.UserFactory())
    response = client.get(reverse("provider:home"))
    assert response.status_code == 403
    response = client.get(reverse("provider:cohort", args=[a.cohort.pk]))
    assert response.status_code == 403
    assert str(NOT_A_PROVIDER)


@pytest.mark.parametrize("size", [3, 60])
def test_enrolment_list_costs_the_same_queries_at_any_size(
    a: Side, size: int, django_assert_num_queries: Any
) -> None:
    for _ in range(size):
        enrol(a.cohort)
    url = reverse("provider:cohort", args=[a.cohort.pk])
    # session, user, membership, cohort, count, one page of rows
    with django_assert_num_queries(session_reads() + 5):
        response = a.client.get(url)
    assert len(response.context["rows"]) == min(size, ENROLMENT_PAGE_SIZE)
    with django_assert_num_queries(session_reads() + 5):
        response = a.client.get(url, {"page": 2, "status": "enrolled"})
    assert len(response.context["rows"]) == {3: 3, 60: 60 - ENROLMENT_PAGE_SIZE}[size]


@pytest.mark.parametrize("size", [3, 60])
def test_home_costs_the_same_queries_at_any_size(
    a: Side, size: int, django_assert_num_queries: Any
) -> None:
    for n in range(size):
        enrol(factories.CohortFactory(programme=a.programme, name=f"Cohort {n}"))
    # session, user, membership, cohorts with counts, recent exports
    with django_assert_num_queries(session_reads() + 4):
        response = a.client.get(reverse("provider:home"))
    assert len(response.context["cohorts"]) == size + 1
