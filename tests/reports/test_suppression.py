"""The suppression rules, on known columns and as properties over any column."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reports.suppression import (
    FEWER_THAN_5,
    Column,
    Hidden,
    suppress_column,
    suppress_count,
    suppress_table,
)


def _shown(column: Column) -> list[int | None]:
    return [cell.count for cell in column.cells]


def test_a_single_person_in_a_group_is_shown_as_fewer_than_5():
    column = suppress_column([12, 1, 9])
    assert column.cells[1].count is None
    assert column.cells[1].text == str(FEWER_THAN_5)
    assert column.cells[1].percent is None


def test_a_total_that_would_reveal_the_hidden_cell_makes_the_next_smallest_hidden_too():
    column = suppress_column([12, 3, 9, 0])
    # 24 - 12 - 9 - 0 would give 3 back, so the 9 goes as well; the zero stays (it hides nothing).
    assert _shown(column) == [12, None, None, 0]
    assert column.cells[2].hidden == Hidden.SECONDARY
    assert column.total.count == 24


def test_two_small_cells_need_no_secondary_suppression():
    column = suppress_column([20, 2, 3, 7])
    assert _shown(column) == [20, None, None, 7]


def test_a_breakdown_of_fewer_than_10_people_is_withheld_entirely():
    column = suppress_column([5, 4])
    assert _shown(column) == [None, None]
    assert {cell.hidden for cell in column.cells} == {Hidden.POPULATION}
    assert column.total.count == 9


def test_percentages_are_given_for_shown_cells_of_the_total():
    column = suppress_column([15, 5, 0])
    assert [cell.percent for cell in column.cells] == [75.0, 25.0, 0.0]


def test_a_total_withheld_elsewhere_withholds_the_whole_column():
    column = suppress_column([15, 5, 0], total_withheld=True)
    assert _shown(column) == [None, None, None]
    assert column.total.count is None


def test_a_count_on_its_own_hides_only_one_to_four():
    assert [suppress_count(n).count for n in (0, 1, 4, 5)] == [0, None, None, 5]


def test_a_table_is_suppressed_column_by_column():
    table = suppress_table([[12, 3, 9], [10, 10, 10]])
    assert _shown(table[0]) == [12, None, None]
    assert _shown(table[1]) == [10, 10, 10]


def _recoverable(counts: list[int], column: Column) -> list[int]:
    """Hidden cells a reader could work out by subtraction from what is published.

    The published figures fix the hidden cells only through the total: the hidden cells
    add up to the total minus the shown ones. A hidden cell is recoverable when no other
    non-negative whole numbers for the hidden cells fit that sum and differ from it.
    """
    hidden = [i for i, cell in enumerate(column.cells) if cell.count is None]
    if column.total.count is None:
        return []  # No equation at all: any hidden cell could be anything.
    if column.total.count == 0:
        return []  # Nobody is counted, so nobody can be found out.
    found = []
    for i in hidden:
        others = [j for j in hidden if j != i]
        # Move one person between cell i and another hidden cell, keeping the sum.
        can_move = any(counts[i] > 0 or counts[j] > 0 for j in others)
        if not can_move:
            found.append(i)
    return found


counts_lists = st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=9)


@given(counts_lists)
def test_no_hidden_cell_can_be_worked_out_from_the_published_cells_and_total(counts):
    column = suppress_column(counts)
    assert _recoverable(counts, column) == []


@given(counts_lists)
def test_no_count_from_1_to_4_is_ever_published(counts):
    column = suppress_column(counts)
    published = [cell.count for cell in column.cells] + [column.total.count]
    assert not [n for n in published if n is not None and 0 < n < 5]


@given(counts_lists)
def test_shown_cells_are_the_true_counts_and_the_total_is_their_sum(counts):
    column = suppress_column(counts)
    for true, cell in zip(counts, column.cells, strict=True):
        assert cell.count in (None, true)
        assert (cell.percent is None) == (cell.count is None or column.total.count in (None, 0))
    assert column.total.count in (None, sum(counts))


@given(st.lists(counts_lists, min_size=1, max_size=5))
def test_every_column_of_a_table_is_safe_on_its_own(columns):
    for counts, column in zip(columns, suppress_table(columns), strict=True):
        assert _recoverable(counts, column) == []
