"""Home, the programme list and programme pages: published programmes only, fixed queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.catalogue import version_reads

pytestmark = pytest.mark.django_db


def _catalogue(count: int) -> None:
    for _ in range(count):
        programme = factories.ProgrammeFactory()
        for cohort in factories.CohortFactory.create_batch(3, programme=programme):
            factories.ApplicationFactory(cohort=cohort, state="waitlisted")


def test_home_lists_published_programmes_only(client) -> None:
    factories.ProgrammeFactory(title="Visible programme")
    factories.ProgrammeFactory(title="Draft programme", is_published=False)
    body = client.get(reverse("home:index")).content.decode()
    assert "Visible programme" in body
    assert "Draft programme" not in body


def test_programme_list_shows_count_and_next_start(client) -> None:
    cohort = factories.CohortFactory(programme__title="Aspiring directors")
    body = client.get(reverse("programmes:list")).content.decode()
    assert "1 programme found" in body
    assert "Aspiring directors" in body
    assert cohort.starts_on.strftime("%-d %B %Y") in body


def test_empty_list_says_so(client) -> None:
    body = client.get(reverse("programmes:list")).content.decode()
    assert "There are no programmes to show yet." in body


def test_unpublished_programme_page_is_not_found(client) -> None:
    draft = factories.ProgrammeFactory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_programme_page_shows_facts_and_cohorts(client) -> None:
    cohort = factories.CohortFactory(name="Spring 2027", venue="Leeds")
    body = client.get(cohort.programme.get_absolute_url()).content.decode()
    assert cohort.programme.title in body
    assert "Spring 2027" in body and "Leeds" in body


def test_huge_or_bad_page_numbers_do_not_fail(client) -> None:
    factories.ProgrammeFactory()
    for page in ("999999999999", "abc", "-1"):
        assert client.get(reverse("programmes:list"), {"page": page}).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_programme_list_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    _catalogue(count)
    # page of programmes with availability, counting them + their providers + provider choices
    with django_assert_num_queries(3 + version_reads()):
        assert client.get(reverse("programmes:list")).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_home_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count) -> None:
    _catalogue(count)
    # the first programmes with availability and the total (a window count) + providers
    with django_assert_num_queries(2 + version_reads()):
        assert client.get(reverse("home:index")).status_code == 200


@pytest.mark.parametrize("cohorts", [3, 60])
def test_programme_page_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, cohorts
) -> None:
    programme = factories.ProgrammeFactory()
    for cohort in factories.CohortFactory.create_batch(cohorts, programme=programme):
        factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    # programme with funder and availability flags + providers + cohorts with availability
    # + active eligibility rules + published resources
    with django_assert_num_queries(5 + version_reads()):
        assert client.get(programme.get_absolute_url()).status_code == 200
