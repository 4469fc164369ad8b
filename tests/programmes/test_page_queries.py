"""Every public list costs the same queries for 3 programmes as for 60: the directory, its
search, each of its filters, and the API lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.catalogue import version_reads

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("programmes:list")
LATER = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

# (url, query string, queries): directory pages are the page (which counts the rows too),
# its providers and the provider choices of the filter; a chosen provider is validated
# with one more.
PAGES = [
    ("directory", DIRECTORY, {}, 3),
    ("search", DIRECTORY, {"q": "leadership"}, 3),
    # PostgreSQL only: SQLite has no typo tolerance, so finds nothing to count.
    pytest.param(
        "typo search", DIRECTORY, {"q": "leadershp"}, 3, marks=pytest.mark.postgres, id="typo"
    ),
    ("audience", DIRECTORY, {"audience": "senior_leader"}, 3),
    ("provider", DIRECTORY, {"provider": "the-provider"}, 4),
    ("format", DIRECTORY, {"delivery": "blended"}, 3),
    ("cost", DIRECTORY, {"cost": "paid"}, 3),
    ("accredited", DIRECTORY, {"accredited": "true"}, 3),
    ("open now", DIRECTORY, {"open_now": "true"}, 3),
    ("places", DIRECTORY, {"places": "true"}, 3),
    ("start window", DIRECTORY, {"starts_from": LATER}, 3),
    ("sorted by title", DIRECTORY, {"sort": "title"}, 3),
    # the page, counting its rows, + providers
    ("API programmes", reverse("api:v1-programme-list"), {"page_size": 100}, 2),
    # count + page of cohorts with availability and programme slug
    ("API cohorts", reverse("api:v1-cohort-list"), {"page_size": 100}, 2),
]


def _catalogue(count: int) -> None:
    provider = factories.ProviderFactory(slug="the-provider")
    for n in range(count):
        programme = factories.ProgrammeFactory(
            title=f"Leadership course {n}", accreditation="Certificate", providers=[provider]
        )
        cohort = factories.CohortFactory(programme=programme)
        factories.ApplicationFactory(cohort=cohort, state="waitlisted")


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize(
    ("name", "url", "params", "queries"),
    [page if hasattr(page, "marks") else pytest.param(*page, id=page[0]) for page in PAGES],
)
def test_lists_cost_the_same_queries_for_any_number_of_programmes(
    client, django_assert_num_queries, count, name, url, params, queries
) -> None:
    _catalogue(count)
    with django_assert_num_queries(queries + version_reads()):
        response = client.get(url, params)
    assert response.status_code == 200
    if url == DIRECTORY:
        assert response.context["page"].paginator.count == count
    else:
        assert response.json()["count"] == count
