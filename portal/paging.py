"""A paginator whose page query also counts every row, so a list page is one query.

Django's Paginator asks for the COUNT first and then the page, so the list's filter (a
search's text match and typo scan, a cohort EXISTS) runs twice. Here the page's rows carry
the total as a window count (COUNT(*) OVER (), taken before LIMIT), read from the first
row. Only a page with no rows needs a separate COUNT: on page 1 the total is plainly
none, and past the end the base class counts to find the last page, as it always did.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "paging_total"
LARGEST_OFFSET = 2**63 - 1  # PostgreSQL's bigint


class CountingPaginator(Paginator):
    def page(self, number: Any) -> Page:
        if not isinstance(self.object_list, QuerySet) or self.orphans:
            # A list knows its length; orphans would need the total before the slice.
            return super().page(number)
        number = self._as_number(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > LARGEST_OFFSET:
            # No table has that many rows, and the database cannot take the offset.
            return super().page(number)
        rows = list(
            self.object_list.annotate(**{TOTAL: Window(Count("*"))})[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.__dict__["count"] = _total_of(rows[0])
            return Page(rows, number, self)
        if number == 1:
            self.__dict__["count"] = 0
            if not self.allow_empty_first_page:
                raise EmptyPage(self.error_messages["no_results"])
            return Page(rows, number, self)
        return super().page(number)

    def get_page(self, number: Any) -> Page:
        # The same answers as Paginator.get_page (not a number: page 1; out of range: the
        # last page), without counting before the page is read.
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def _as_number(self, number: Any) -> int:
        # Paginator.validate_number's checks that need no count.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


def _total_of(row: Any) -> int:
    return int(row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL))
