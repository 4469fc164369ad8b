"""The waiting list: order, moving people up and down, stale pages, removing people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from applications.services.places import STALE_WAITING_LIST, waiting_list
from console.views.places import ALREADY_AT_END, BAD_REQUEST

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(cohort):  # type: ignore[no-untyped-def]
    start = timezone.now() - dt.timedelta(days=5)
    return [
        make_application(cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(hours=i))
        for i in range(3)
    ]


def _order(cohort) -> list[int]:  # type: ignore[no-untyped-def]
    return list(waiting_list(cohort).values_list("pk", flat=True))


def _move(client, cohort, application, direction, expected):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("manage:waiting_list", args=[cohort.pk]),
        {
            "application": application.pk,
            "direction": direction,
            "expected": ",".join(str(pk) for pk in expected),
        },
    )


def test_page_lists_people_in_order_with_position_priority_and_joined(
    cohort, waiting, screener_client
) -> None:
    response = screener_client.get(reverse("manage:waiting_list", args=[cohort.pk]))
    assert [entry.pk for entry in response.context["entries"]] == [a.pk for a in waiting]
    assert b"Move up" not in response.content  # screeners look, managers move


def test_move_up_swaps_with_the_person_above(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    response = _move(manager_client, cohort, c, "up", [a.pk, b.pk, c.pk])
    assert response.status_code == 302
    assert _order(cohort) == [a.pk, c.pk, b.pk]


def test_move_down(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    _move(manager_client, cohort, a, "down", [a.pk, b.pk, c.pk])
    assert _order(cohort) == [b.pk, a.pk, c.pk]


def test_stale_page_changes_nothing_and_says_so(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    # The page was loaded before c joined.
    response = _move(manager_client, cohort, b, "up", [a.pk, b.pk])
    assert str(STALE_WAITING_LIST) in messages_of(response)
    assert _order(cohort) == [a.pk, b.pk, c.pk]
    # Or someone else reordered it meanwhile.
    response = _move(manager_client, cohort, b, "up", [b.pk, a.pk, c.pk])
    assert str(STALE_WAITING_LIST) in messages_of(response)
    assert _order(cohort) == [a.pk, b.pk, c.pk]


def test_moving_the_first_person_up_changes_nothing(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    response = _move(manager_client, cohort, a, "up", [a.pk, b.pk, c.pk])
    assert str(ALREADY_AT_END) in messages_of(response)
    assert _order(cohort) == [a.pk, b.pk, c.pk]


def test_garbled_move_is_refused(cohort, waiting, manager_client) -> None:
    response = manager_client.post(
        reverse("manage:waiting_list", args=[cohort.pk]),
        {"application": "x", "direction": "sideways", "expected": "1,a"},
    )
    assert response.status_code == 302
    assert str(BAD_REQUEST) in messages_of(response)


def test_remove_from_the_waiting_list_with_a_reason(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    response = manager_client.post(
        reverse("manage:reject", args=[b.pk]),
        {"reason": "Took a place elsewhere", "return_to": "waiting_list"},
    )
    assert response["Location"] == reverse("manage:waiting_list", args=[cohort.pk])
    assert _order(cohort) == [a.pk, c.pk]
    b.refresh_from_db()
    assert b.state == S.REJECTED


def test_move_straight_to_any_position(cohort, waiting, manager_client) -> None:
    a, b, c = waiting
    seen = ",".join(str(x.pk) for x in (a, b, c))
    response = manager_client.post(
        reverse("manage:waiting_list", args=[cohort.pk]),
        {"application": c.pk, "direction": "to", "position": "1", "expected": seen},
    )
    assert response.status_code == 302
    assert _order(cohort) == [c.pk, a.pk, b.pk]


@pytest.mark.parametrize("position", ["", "first", "0", "-2"])
def test_move_to_a_position_that_is_not_a_number_says_so(
    cohort, waiting, manager_client, position
) -> None:
    a, b, c = waiting
    seen = ",".join(str(x.pk) for x in (a, b, c))
    response = manager_client.post(
        reverse("manage:waiting_list", args=[cohort.pk]),
        {"application": c.pk, "direction": "to", "position": position, "expected": seen},
    )
    assert "Enter the position" in " ".join(messages_of(response))
    assert _order(cohort) == [a.pk, b.pk, c.pk]


def test_the_page_shows_positions_not_priority_numbers(cohort, waiting, manager_client):
    page = manager_client.get(reverse("manage:waiting_list", args=[cohort.pk])).content.decode()
    assert "Priority" not in page
    assert "Move to position" in page
