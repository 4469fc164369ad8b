"""A programme's team in the console: who is in it, adding, changing roles, removing.

Requests the page does not offer (a screener posting, another programme's member,
the last manager, a replayed removal) change nothing.
"""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from post_office.models import Email

from console.forms.team import EMAIL_REQUIRED
from console.views.programmes import MANAGERS_ONLY
from pages.navigation import CONSOLE, SESSION_KEY
from programmes.errors import ALREADY_IN_TEAM, LAST_MANAGER, MEMBER_GONE, NO_ACCOUNT
from programmes.models import ProgrammeTeamMember
from tests import factories
from tests.queries import session_reads

from .conftest import messages_of

pytestmark = pytest.mark.django_db

MANAGER = ProgrammeTeamMember.Role.MANAGER
SCREENER = ProgrammeTeamMember.Role.SCREENER


def _team(programme) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted(programme.team.values_list("user__email", "role"))


def _state(programme) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return _team(programme), LogEntry.objects.count(), Email.objects.count()


def _member(user, programme) -> ProgrammeTeamMember:  # type: ignore[no-untyped-def]
    return ProgrammeTeamMember.objects.get(user=user, programme=programme)


def _html(text: object) -> str:
    return str(escape(str(text)))


@pytest.fixture
def programme(cohort):  # type: ignore[no-untyped-def]
    return cohort.programme


def test_the_team_page_lists_members_with_their_roles(manager_client, programme, screener) -> None:
    body = manager_client.get(reverse("manage:team", args=[programme.pk])).content.decode()

    rows = dict(
        re.findall(
            r'<tr data-member="\d+">\s*<th scope="row">([^<]+).*?<td data-role>(\w+)', body, re.S
        )
    )
    assert {name.strip(): role for name, role in rows.items()} == {
        "Morgan Manager": "Manager",
        "Sam Screener": "Screener",
    }
    assert "Add someone to the team" in body
    assert (
        reverse("manage:team_remove", args=[programme.pk, _member(screener, programme).pk]) in body
    )


def test_screeners_see_the_team_but_nothing_to_change(screener_client, programme, manager) -> None:
    body = screener_client.get(reverse("manage:team", args=[programme.pk])).content.decode()

    assert "Morgan Manager" in body
    assert "Add someone to the team" not in body
    assert "/remove/" not in body and "/role/" not in body


def test_people_outside_the_team_get_404(client, programme, manager, other_manager) -> None:
    client.force_login(other_manager)
    member = _member(manager, programme)

    assert client.get(reverse("manage:team", args=[programme.pk])).status_code == 404
    response = client.post(reverse("manage:team_remove", args=[programme.pk, member.pk]))
    assert response.status_code == 404
    assert _team(programme) == [("manager@example.org", MANAGER)]


# --- Adding ---------------------------------------------------------------------------


def test_a_manager_adds_someone_by_email_and_they_are_told(
    manager_client, programme, manager
) -> None:
    factories.UserFactory(email="nia@example.org", full_name="Nia Jones")

    response = manager_client.post(
        reverse("manage:team", args=[programme.pk]), {"email": "Nia@Example.org", "role": SCREENER}
    )

    assert response.status_code == 302
    assert ("nia@example.org", SCREENER) in _team(programme)
    assert "nia@example.org is now in the team as screener." in messages_of(response)[0]
    email = Email.objects.get(to=["nia@example.org"])
    assert "Morgan Manager has added you" in email.message


def test_adding_an_address_without_an_account_says_to_make_one_first(
    manager_client, programme
) -> None:
    before = _state(programme)

    response = manager_client.post(
        reverse("manage:team", args=[programme.pk]), {"email": "new@example.org", "role": MANAGER}
    )

    assert response.status_code == 409
    assert _html(NO_ACCOUNT % {"email": "new@example.org"}) in response.content.decode()
    assert _state(programme) == before


def test_adding_someone_already_in_the_team_is_refused_with_no_duplicate(
    manager_client, programme, screener
) -> None:
    before = _state(programme)

    response = manager_client.post(
        reverse("manage:team", args=[programme.pk]), {"email": screener.email, "role": MANAGER}
    )

    assert response.status_code == 409
    assert _html(ALREADY_IN_TEAM % {"email": screener.email}) in response.content.decode()
    assert _state(programme) == before


def test_an_empty_add_form_is_a_400_with_the_reason(manager_client, programme) -> None:
    before = _state(programme)

    response = manager_client.post(reverse("manage:team", args=[programme.pk]), {})

    assert response.status_code == 400
    assert _html(EMAIL_REQUIRED) in response.content.decode()
    assert _state(programme) == before


def test_a_screener_cannot_add_anyone(screener_client, programme) -> None:
    factories.UserFactory(email="nia@example.org")
    before = _state(programme)

    response = screener_client.post(
        reverse("manage:team", args=[programme.pk]), {"email": "nia@example.org", "role": MANAGER}
    )

    assert response.status_code == 403
    assert _html(MANAGERS_ONLY) in response.content.decode()
    assert _state(programme) == before


# --- Roles ----------------------------------------------------------------------------


def test_a_manager_makes_a_screener_a_manager(manager_client, programme, screener) -> None:
    member = _member(screener, programme)

    response = manager_client.post(
        reverse("manage:team_role", args=[programme.pk, member.pk]), {"role": MANAGER}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == MANAGER


def test_the_last_manager_cannot_be_made_a_screener(manager_client, programme, manager) -> None:
    member = _member(manager, programme)
    before = _state(programme)

    response = manager_client.post(
        reverse("manage:team_role", args=[programme.pk, member.pk]), {"role": SCREENER}
    )

    assert response.status_code == 409
    assert _html(LAST_MANAGER) in response.content.decode()
    assert _state(programme) == before


def test_a_made_up_role_is_refused(manager_client, programme, screener) -> None:
    member = _member(screener, programme)
    before = _state(programme)

    response = manager_client.post(
        reverse("manage:team_role", args=[programme.pk, member.pk]), {"role": "owner"}
    )

    assert response.status_code == 400
    assert _state(programme) == before


def test_a_screener_cannot_change_roles(screener_client, programme, screener) -> None:
    member = _member(screener, programme)
    before = _state(programme)

    response = screener_client.post(
        reverse("manage:team_role", args=[programme.pk, member.pk]), {"role": MANAGER}
    )

    assert response.status_code == 403
    assert _state(programme) == before


def test_a_member_of_another_programme_cannot_be_changed_through_this_one(
    manager_client, programme, other_manager
) -> None:
    elsewhere = ProgrammeTeamMember.objects.get(user=other_manager)
    before = _state(programme), elsewhere.role

    response = manager_client.post(
        reverse("manage:team_role", args=[programme.pk, elsewhere.pk]), {"role": SCREENER}
    )

    assert response.status_code == 409
    assert _html(MEMBER_GONE) in response.content.decode()
    elsewhere.refresh_from_db()
    assert (_state(programme), elsewhere.role) == before


# --- Removing -------------------------------------------------------------------------


def test_removing_asks_first_then_removes(manager_client, programme, screener) -> None:
    member = _member(screener, programme)
    url = reverse("manage:team_remove", args=[programme.pk, member.pk])

    page = manager_client.get(url)
    assert page.status_code == 200
    assert "Are you sure you want to remove Sam Screener from the team?" in page.content.decode()
    assert _team(programme) == [("manager@example.org", MANAGER), (screener.email, SCREENER)]

    response = manager_client.post(url)

    assert response.status_code == 302
    assert _team(programme) == [("manager@example.org", MANAGER)]
    assert "Sam Screener is no longer in the programme's team." in messages_of(response)


def test_a_replayed_removal_changes_nothing(manager_client, programme, screener) -> None:
    url = reverse("manage:team_remove", args=[programme.pk, _member(screener, programme).pk])
    manager_client.post(url)
    before = _state(programme)

    response = manager_client.post(url)

    assert response.status_code == 409
    assert _html(MEMBER_GONE) in response.content.decode()
    assert _state(programme) == before
    assert manager_client.get(url).status_code == 404


def test_the_last_manager_cannot_be_removed(manager_client, programme, manager) -> None:
    url = reverse("manage:team_remove", args=[programme.pk, _member(manager, programme).pk])
    before = _state(programme)

    page = manager_client.get(url).content.decode()
    assert _html(LAST_MANAGER) in page
    assert "Yes, take me out of the team" not in page
    response = manager_client.post(url)

    assert response.status_code == 409
    assert _html(LAST_MANAGER) in response.content.decode()
    assert _state(programme) == before


def test_a_screener_cannot_remove_anyone(screener_client, programme, manager, screener) -> None:
    before = _state(programme)

    for user in (manager, screener):
        url = reverse("manage:team_remove", args=[programme.pk, _member(user, programme).pk])
        assert screener_client.get(url).status_code == 403
        assert screener_client.post(url).status_code == 403

    assert _state(programme) == before


def test_someone_removed_loses_the_console_at_once(
    manager_client, programme, cohort, screener
) -> None:
    screener_client = Client()
    screener_client.force_login(screener)
    assert screener_client.get(reverse("manage:cohort", args=[cohort.pk])).status_code == 200

    manager_client.post(
        reverse("manage:team_remove", args=[programme.pk, _member(screener, programme).pk])
    )

    # Signed out on every device, so nothing opened with the role lives on.
    for url in (
        reverse("manage:cohort", args=[cohort.pk]),
        reverse("manage:queue", args=[cohort.pk]),
        reverse("manage:programme", args=[programme.pk]),
    ):
        response = screener_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    # Signing in again gives access as the database has it now: none.
    screener.refresh_from_db()
    screener_client.force_login(screener)
    assert screener_client.get(reverse("manage:cohort", args=[cohort.pk])).status_code == 404
    screener_client.get(reverse("manage:programmes"))
    assert CONSOLE not in screener_client.session[SESSION_KEY]


def test_a_manager_who_leaves_goes_to_their_programmes_without_the_console_link(
    client, programme, manager
) -> None:
    other = factories.UserFactory(email="second@example.org")
    factories.ProgrammeTeamMemberFactory(user=other, programme=programme, role=MANAGER)
    client.force_login(manager)

    url = reverse("manage:team_remove", args=[programme.pk, _member(manager, programme).pk])
    assert "Are you sure you want to leave the team?" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:programmes")
    assert _team(programme) == [("second@example.org", MANAGER)]
    assert CONSOLE not in client.session[SESSION_KEY]


@pytest.mark.parametrize("n", [3, 30])
def test_the_team_page_costs_the_same_queries_for_3_or_30_members(
    n, manager_client, programme, django_assert_num_queries
) -> None:
    for _ in range(n):
        factories.ProgrammeTeamMemberFactory(programme=programme, role=SCREENER)

    # session, user, programme, providers, role, the team with their accounts
    with django_assert_num_queries(session_reads() + 5):
        response = manager_client.get(reverse("manage:team", args=[programme.pk]))

    assert len(response.context["members"]) == n + 1
