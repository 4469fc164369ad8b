"""A programme's team: adding, changing roles and removing, never leaving it without a manager."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.db import connection
from post_office.models import Email

from programmes.errors import (
    ALREADY_IN_TEAM,
    LAST_MANAGER,
    AlreadyInTeam,
    LastManager,
    MemberGone,
    NoAccount,
)
from programmes.models import ProgrammeTeamMember
from programmes.services.team import team_member_add, team_member_change_role, team_member_remove
from tests import factories

MANAGER = ProgrammeTeamMember.Role.MANAGER
SCREENER = ProgrammeTeamMember.Role.SCREENER


@pytest.fixture
def programme(db):  # type: ignore[no-untyped-def]
    return factories.ProgrammeFactory(title="Upon aspiring directors")


@pytest.fixture
def manager(programme):  # type: ignore[no-untyped-def]
    member = factories.ProgrammeTeamMemberFactory(
        user=factories.UserFactory(email="morgan@example.org", full_name="Morgan Manager"),
        programme=programme,
        role=MANAGER,
    )
    return member


def test_adding_someone_by_email_makes_them_a_member_and_tells_them(programme, manager) -> None:
    factories.UserFactory(email="sam@example.org", full_name="Sam Screener")

    member = team_member_add(
        programme=programme, email="  SAM@example.org ", role=SCREENER, by=manager.user
    )

    assert (member.user.email, member.role) == ("sam@example.org", SCREENER)
    email = Email.objects.get(to=["sam@example.org"])
    assert email.subject == "You are now in the team for Upon aspiring directors"
    assert "Morgan Manager has added you" in email.message
    assert f"/manage/programmes/{programme.pk}/" in email.message
    log = LogEntry.objects.get_for_object(member).get()
    assert log.actor == manager.user


def test_adding_an_address_without_an_account_is_refused(programme, manager) -> None:
    with pytest.raises(NoAccount):
        team_member_add(
            programme=programme, email="new@example.org", role=SCREENER, by=manager.user
        )

    assert programme.team.count() == 1
    assert not Email.objects.exists()


def test_adding_someone_already_in_the_team_is_refused_without_a_duplicate(
    programme, manager
) -> None:
    with pytest.raises(AlreadyInTeam) as refused:
        team_member_add(
            programme=programme, email=manager.user.email, role=SCREENER, by=manager.user
        )

    assert str(refused.value) == str(ALREADY_IN_TEAM) % {"email": "morgan@example.org"}
    assert list(programme.team.values_list("role", flat=True)) == [MANAGER]
    assert not Email.objects.exists()


def test_a_screener_can_be_made_a_manager_and_back(programme, manager) -> None:
    screener = factories.ProgrammeTeamMemberFactory(programme=programme, role=SCREENER)

    team_member_change_role(member=screener, role=MANAGER, by=manager.user)
    screener.refresh_from_db()
    assert screener.role == MANAGER

    team_member_change_role(member=manager, role=SCREENER, by=manager.user)
    manager.refresh_from_db()
    assert manager.role == SCREENER


def test_the_last_manager_cannot_be_made_a_screener(programme, manager) -> None:
    factories.ProgrammeTeamMemberFactory(programme=programme, role=SCREENER)

    with pytest.raises(LastManager) as refused:
        team_member_change_role(member=manager, role=SCREENER, by=manager.user)

    assert str(refused.value) == str(LAST_MANAGER)
    manager.refresh_from_db()
    assert manager.role == MANAGER


def test_the_last_manager_cannot_be_removed(programme, manager) -> None:
    with pytest.raises(LastManager):
        team_member_remove(member=manager, by=manager.user)

    assert programme.team.filter(pk=manager.pk).exists()


def test_a_manager_whose_account_is_closed_does_not_count(programme, manager) -> None:
    closed = factories.ProgrammeTeamMemberFactory(programme=programme, role=MANAGER)
    closed.user.is_active = False
    closed.user.save()

    with pytest.raises(LastManager):
        team_member_remove(member=manager, by=manager.user)


def test_removing_twice_is_refused_the_second_time(programme, manager) -> None:
    screener = factories.ProgrammeTeamMemberFactory(programme=programme, role=SCREENER)
    team_member_remove(member=screener, by=manager.user)

    with pytest.raises(MemberGone):
        team_member_remove(member=screener, by=manager.user)

    assert list(programme.team.all()) == [manager]


def test_a_removal_is_in_the_programme_history_with_who_did_it(programme, manager) -> None:
    from console.history import history_of_programme

    screener = factories.ProgrammeTeamMemberFactory(
        programme=programme, role=SCREENER, user__full_name="Gale Gone"
    )
    team_member_remove(member=screener, by=manager.user)

    latest = history_of_programme(programme=programme)[0]
    assert latest.action == "Removed"
    assert latest.by == "Morgan Manager"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_removing_each_other_at_once_leave_one_manager() -> None:
    """Each thread has its own connection; the programme row lock puts one behind the other."""
    programme = factories.ProgrammeFactory()
    first, second = (
        factories.ProgrammeTeamMemberFactory(programme=programme, role=MANAGER) for _ in range(2)
    )
    barrier = threading.Barrier(2)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def remove(member: ProgrammeTeamMember, by: ProgrammeTeamMember) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                team_member_remove(member=member, by=by.user)
                name = "ok"
            except LastManager:
                name = "LastManager"
            with lock:
                outcomes[name] += 1
        finally:
            connection.close()

    for _round in range(5):
        outcomes.clear()
        threads = [
            threading.Thread(target=remove, args=(first, second)),
            threading.Thread(target=remove, args=(second, first)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert outcomes == Counter(ok=1, LastManager=1)
        remaining = list(ProgrammeTeamMember.objects.filter(programme=programme, role=MANAGER))
        assert len(remaining) == 1
        # Put the removed one back for the next round.
        survivor = remaining[0]
        removed_user = first.user if survivor.user == second.user else second.user
        restored = ProgrammeTeamMember.objects.create(
            programme=programme, user=removed_user, role=MANAGER
        )
        first, second = survivor, restored
