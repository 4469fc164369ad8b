"""The report pages and their CSV files: what they show, what they never show, and what
they cost in queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from applications.models import ApplicationState as S
from tests import factories
from tests.queries import session_reads
from tests.reports.factories import COMPLETED_PATH, ELIGIBLE_PATH, ENROLLED_PATH, people, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(slug="upon-test")


@pytest.fixture
def manager_client(client, programme):
    member = factories.ProgrammeTeamMemberFactory(programme=programme)
    client.force_login(member.user)
    return client


def _fill(cohort, scale: int) -> None:
    people(
        cohort,
        3 * scale,
        COMPLETED_PATH,
        ethnic_group="white_british",
        disability="no",
        sex="female",
        age_band="40_49",
    )
    people(
        cohort,
        scale,
        ENROLLED_PATH,
        ethnic_group="black_african",
        disability="no",
        sex="male",
        age_band="50_59",
    )
    people(cohort, 2 * scale, ELIGIBLE_PATH, ethnic_group="asian_indian", sex="female")
    people(cohort, scale, (S.SUBMITTED, S.ELIGIBLE, S.WAITLISTED), ethnic_group="white_irish")


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_the_cohort_report_shows_the_funnel_charts_and_tables(manager_client, programme):
    cohort = factories.CohortFactory(programme=programme)
    _fill(cohort, 5)
    response = manager_client.get(reverse("reports:cohort", args=[programme.slug, cohort.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-chart="chart-funnel"' in page
    assert 'role="img"' in page and '<title id="chart-funnel-title">' in page
    assert 'data-table="breakdown-ethnic_group"' in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<style" not in main and "style=" not in main and "<script" not in main


def test_a_cohort_csv_holds_the_same_suppressed_table_as_the_page(manager_client, programme):
    cohort = factories.CohortFactory(programme=programme)
    _fill(cohort, 5)
    person(cohort, ENROLLED_PATH, ethnic_group="mixed_other")
    url = reverse("reports:cohort_csv", args=[programme.slug, cohort.pk, "breakdown-ethnic_group"])
    response = manager_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:2] == ["Ethnic group", "Applied"]
    by_group = {row[0]: row for row in rows[1:]}
    assert by_group["Mixed or Multiple ethnic groups"][1] == "fewer than 5"
    assert by_group["White"][1] == "20 (56%)"
    assert by_group["Total"][1] == "36"


def test_an_unknown_table_is_not_found(manager_client, programme):
    cohort = factories.CohortFactory(programme=programme)
    url = reverse("reports:cohort_csv", args=[programme.slug, cohort.pk, "people"])
    assert manager_client.get(url).status_code == 404


def test_no_report_page_or_csv_shows_anyone_s_own_answers_or_details(manager_client, programme):
    cohort = factories.CohortFactory(programme=programme)
    _fill(cohort, 3)
    lonely = person(
        cohort,
        ENROLLED_PATH,
        ethnic_group="other_any",
        ethnic_group_own_words="Distinctive-heritage-words",
        religion="other",
        religion_own_words="Unusual-belief-words",
    )
    urls = [
        reverse("reports:programme", args=[programme.slug]),
        reverse("reports:cohort", args=[programme.slug, cohort.pk]),
    ]
    for key in ("funnel", "reference"):
        urls.append(reverse("reports:programme_csv", args=[programme.slug, key]))
    cohort_tables = ("funnel", "waiting", "reference", "breakdown-ethnic_group",
                     "breakdown-disability", "breakdown-sex", "breakdown-age_band",
                     "breakdown-socio_economic", "breakdown-sector")  # fmt: skip
    for key in cohort_tables:
        urls.append(reverse("reports:cohort_csv", args=[programme.slug, cohort.pk, key]))
    for url in urls:
        response = manager_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in ("Distinctive-heritage-words", "Unusual-belief-words", lonely.applicant.email,
                       lonely.applicant.full_name):  # fmt: skip
            assert secret not in text, (url, secret)


def test_the_programme_report_lists_each_cohort_over_time(manager_client, programme):
    first = factories.CohortFactory(programme=programme, name="Cohort one")
    second = factories.CohortFactory(programme=programme, name="Cohort two")
    _fill(first, 2)
    _fill(second, 4)
    response = manager_client.get(reverse("reports:programme", args=[programme.slug]))
    assert response.status_code == 200
    rows = _rows(
        manager_client.get(reverse("reports:programme_csv", args=[programme.slug, "funnel"]))
    )
    assert rows[0][:5] == ["Cohort", "Applied", "Eligible", "Offered a place", "Enrolled"]
    assert rows[1][:5] == ["Cohort one", "14", "14", "8", "8"]
    assert rows[2][:5] == ["Cohort two", "28", "28", "16", "16"]


@pytest.mark.parametrize("scale", [1, 6])
def test_a_cohort_report_costs_the_same_queries_whatever_its_size(
    manager_client, programme, django_assert_num_queries, scale
):
    cohort = factories.CohortFactory(programme=programme)
    _fill(cohort, scale)
    url = reverse("reports:cohort", args=[programme.slug, cohort.pk])
    # Session and user, programme in scope, cohort, facts, waiting list, reference figures.
    with django_assert_num_queries(session_reads() + 6):
        assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("cohorts", [1, 5])
def test_a_programme_report_costs_the_same_queries_whatever_its_size(
    manager_client, programme, django_assert_num_queries, cohorts
):
    for _ in range(cohorts):
        _fill(factories.CohortFactory(programme=programme), cohorts)
    url = reverse("reports:programme", args=[programme.slug])
    # Session and user, programme in scope, cohorts, facts, waiting list, reference figures.
    with django_assert_num_queries(session_reads() + 6):
        assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("programmes", [1, 8])
def test_the_list_of_programmes_costs_the_same_queries_whatever_its_length(
    client, django_assert_num_queries, programmes
):
    user = factories.UserFactory()
    for _ in range(programmes):
        factories.ProgrammeTeamMemberFactory(user=user)
    client.force_login(user)
    with django_assert_num_queries(session_reads() + 2):
        assert client.get(reverse("reports:programmes")).status_code == 200


def test_a_group_below_four_fifths_is_marked_on_the_page_and_in_the_csv(manager_client, programme):
    cohort = factories.CohortFactory(programme=programme)
    people(cohort, 20, ENROLLED_PATH, ethnic_group="white_british")
    people(cohort, 10, ELIGIBLE_PATH, ethnic_group="white_irish")
    people(cohort, 5, ENROLLED_PATH, ethnic_group="black_african")
    people(cohort, 10, ELIGIBLE_PATH, ethnic_group="black_caribbean")
    page = manager_client.get(reverse("reports:cohort", args=[programme.slug, cohort.pk]))
    text = page.content.decode()
    assert "data-four-fifths" in text and "data-flagged" in text
    url = reverse("reports:cohort_csv", args=[programme.slug, cohort.pk, "breakdown-ethnic_group"])
    rows = {row[0]: row for row in _rows(manager_client.get(url))}
    heading = _rows(manager_client.get(url))[0]
    offered = heading.index("Offered a place: selection rate (against the largest group)")
    assert rows["White"][offered] == "67% (1.00)"
    assert rows["Black, Black British, Black Welsh, Caribbean or African"][offered] == (
        "33% (0.50: below 0.8)"
    )
