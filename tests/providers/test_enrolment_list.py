"""The cohort's enrolment list in the provider area: pages, the empty state, and
cohort-level facts said once above the table rather than on every row."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from providers.views import ENROLMENT_PAGE_SIZE
from tests import factories

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db


def _url(side: Side) -> str:
    return reverse("provider:cohort", args=[side.cohort.pk])


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["full_name"] for row in response.context["rows"]]


def _pagination(html: str) -> str:
    match = re.search(r'<nav aria-label="Pages of this enrolment list">.*?</nav>', html, re.S)
    assert match, "no pagination nav"
    return match.group(0)


def test_a_long_list_is_shown_a_page_at_a_time(a: Side) -> None:
    people = [enrol(a.cohort, full_name=f"Person {n:02}") for n in range(ENROLMENT_PAGE_SIZE + 5)]
    first = a.client.get(_url(a))
    assert _names(first) == [p.snapshot["full_name"] for p in people[:ENROLMENT_PAGE_SIZE]]
    nav = _pagination(first.content.decode())
    assert 'aria-current="page"' in nav and "Page 1 of 2" in nav
    assert "Next" in nav and "Previous" not in nav
    assert 'href="?page=2"' in nav

    second = a.client.get(_url(a), {"page": 2})
    assert _names(second) == [p.snapshot["full_name"] for p in people[ENROLMENT_PAGE_SIZE:]]
    nav = _pagination(second.content.decode())
    assert "Page 2 of 2" in nav and "Previous" in nav and "Next" not in nav
    assert f"{ENROLMENT_PAGE_SIZE + 5} people" in second.content.decode()


def test_page_links_keep_the_status_filter(a: Side) -> None:
    for n in range(ENROLMENT_PAGE_SIZE + 1):
        enrol(a.cohort, full_name=f"Done {n}", state="completed")
    enrol(a.cohort, full_name="Still going")
    response = a.client.get(_url(a), {"status": "completed"})
    nav = _pagination(response.content.decode())
    assert 'href="?status=completed&amp;page=2"' in nav
    second = a.client.get(_url(a), {"status": "completed", "page": 2})
    assert _names(second) == [f"Done {ENROLMENT_PAGE_SIZE}"]


@pytest.mark.parametrize("page", ["0", "99", "x", "-1"])
def test_a_page_number_out_of_range_shows_a_real_page(a: Side, page: str) -> None:
    enrol(a.cohort, full_name="Only One")
    response = a.client.get(_url(a), {"page": page})
    assert response.status_code == 200
    assert _names(response) == ["Only One"]


def test_a_short_list_has_no_pagination(a: Side) -> None:
    enrol(a.cohort)
    html = a.client.get(_url(a)).content.decode()
    assert "Pages of this enrolment list" not in html


def test_an_empty_cohort_says_so_instead_of_an_empty_table(a: Side) -> None:
    # People not yet enrolled are not on the list.
    enrol(a.cohort, state="offered")
    response = a.client.get(_url(a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nobody is enrolled on this cohort yet." in html
    assert "<table" not in html
    assert "Export this list" not in html
    assert "Pages of this enrolment list" not in html


def test_a_filter_that_matches_nobody_says_so_and_offers_everyone(a: Side) -> None:
    enrol(a.cohort)
    response = a.client.get(_url(a), {"status": "completed"})
    html = response.content.decode()
    assert 'Nobody on this cohort has the status "Completed".' in html
    assert f'href="{_url(a)}"' in html
    assert "<table" not in html


def test_cohort_level_facts_are_shown_once_above_the_table(a: Side) -> None:
    accreditation = "Optional postgraduate certificate (20 master's-level credits)"
    a.programme.accreditation = accreditation
    a.programme.save(update_fields=["accreditation"])
    for n in range(20):
        enrol(a.cohort, full_name=f"Person {n}")
    html = a.client.get(_url(a)).content.decode()
    facts, table = html.split("<table", 1)
    assert html.count("Optional postgraduate certificate") == 1
    assert "Optional postgraduate certificate" in facts
    assert "Accreditation" not in table
    assert a.cohort.name not in table and a.programme.title not in table
    # Each row carries only the person's own data: eight cells.
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.S)
    assert first_row and len(re.findall(r"<t[hd][ >]", first_row.group(1))) == 8


def test_a_programme_without_accreditation_says_so(b: Side) -> None:
    enrol(b.cohort)
    html = b.client.get(_url(b)).content.decode()
    assert "Not accredited" in html


def test_the_list_only_pages_through_its_own_cohort(a: Side) -> None:
    other = factories.CohortFactory(programme=a.programme, name="Autumn A")
    for _ in range(ENROLMENT_PAGE_SIZE + 1):
        enrol(other)
    enrol(a.cohort, full_name="Mine")
    response = a.client.get(_url(a))
    assert _names(response) == ["Mine"]
    assert "Pages of this enrolment list" not in response.content.decode()
