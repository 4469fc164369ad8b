"""The counting paginator gives the pages Django's Paginator gives, in one query."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from portal.paging import CountingPaginator
from programmes.models import Provider
from tests import factories

pytestmark = pytest.mark.django_db

ASKED = [None, "", "x", "0", "-1", "1", "2", "3", "99", 2.0, 2.5, "2.0"]


def _providers(count: int) -> None:
    factories.ProviderFactory.create_batch(count)


def _answer(paginator: Paginator, number: object) -> tuple[int, list[int], int, int]:
    page = paginator.get_page(number)
    return page.number, [row.pk for row in page], paginator.count, paginator.num_pages


@pytest.mark.parametrize("rows", [0, 1, 4, 5, 6, 12])
def test_every_page_asked_for_is_the_page_djangos_paginator_gives(rows: int) -> None:
    _providers(rows)
    listing = Provider.objects.order_by("pk")
    for number in ASKED:
        expected = _answer(Paginator(listing, 5), number)
        assert _answer(CountingPaginator(listing, 5), number) == expected, number


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_with_rows_is_one_query(django_assert_num_queries, number: int) -> None:
    _providers(12)
    paginator = CountingPaginator(Provider.objects.order_by("pk"), 5)
    with django_assert_num_queries(1):
        page = paginator.get_page(number)
        assert paginator.count == 12
        assert paginator.num_pages == 3
        assert len(page) == (2 if number == 3 else 5)


def test_an_empty_listing_is_one_query(django_assert_num_queries) -> None:
    paginator = CountingPaginator(Provider.objects.order_by("pk"), 5)
    with django_assert_num_queries(1):
        page = paginator.get_page(1)
        assert paginator.count == 0
        assert list(page) == []


def test_past_the_end_counts_and_gives_the_last_page(django_assert_num_queries) -> None:
    _providers(7)
    paginator = CountingPaginator(Provider.objects.order_by("pk"), 5)
    # The empty page, the count that finds the end, then the last page.
    with django_assert_num_queries(3):
        page = paginator.get_page(9)
    assert page.number == 2
    assert len(page) == 2


def test_page_refuses_what_is_not_a_page_as_djangos_does() -> None:
    _providers(3)
    paginator = CountingPaginator(Provider.objects.order_by("pk"), 5)
    with pytest.raises(PageNotAnInteger):
        paginator.page("x")
    with pytest.raises(EmptyPage):
        paginator.page(0)
    with pytest.raises(EmptyPage):
        paginator.page(2)


def test_an_empty_first_page_can_still_be_refused() -> None:
    paginator = CountingPaginator(Provider.objects.order_by("pk"), 5, allow_empty_first_page=False)
    with pytest.raises(EmptyPage):
        paginator.page(1)


def test_a_list_is_paged_as_the_base_class_pages_it() -> None:
    page = CountingPaginator(list(range(12)), 5).get_page(3)
    assert list(page) == [10, 11]
    assert page.paginator.count == 12
