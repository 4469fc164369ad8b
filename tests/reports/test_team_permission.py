"""The reporting permission on a programme's team: who has it, and who may change it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import ProgrammeTeamMember
from programmes.services.team import team_member_add, team_member_change_role
from tests import factories

pytestmark = pytest.mark.django_db

MANAGER, SCREENER = ProgrammeTeamMember.Role.MANAGER, ProgrammeTeamMember.Role.SCREENER


@pytest.fixture
def team():
    programme = factories.ProgrammeFactory()
    manager = factories.ProgrammeTeamMemberFactory(programme=programme, role=MANAGER)
    screener = factories.ProgrammeTeamMemberFactory(programme=programme, role=SCREENER)
    return programme, manager, screener


def test_a_manager_added_sees_reports_and_a_screener_does_not(team):
    programme, manager, _screener = team
    added = team_member_add(
        programme=programme, email=factories.UserFactory().email, role=MANAGER, by=manager.user
    )
    screener = team_member_add(
        programme=programme, email=factories.UserFactory().email, role=SCREENER, by=manager.user
    )
    assert added.can_see_reports and not screener.can_see_reports


def test_the_permission_follows_a_change_of_role(team):
    _programme, manager, screener = team
    promoted = team_member_change_role(member=screener, role=MANAGER, by=manager.user)
    assert promoted.can_see_reports
    demoted = team_member_change_role(member=promoted, role=SCREENER, by=manager.user)
    assert not demoted.can_see_reports


def test_a_manager_lets_a_screener_see_the_reports_and_takes_it_back(client, team):
    programme, manager, screener = team
    url = reverse("manage:team_reports", args=[programme.pk, screener.pk])
    reports = reverse("reports:programme", args=[programme.slug])
    client.force_login(manager.user)
    assert client.post(url, {"reports": "1"}).status_code == 302
    screener.refresh_from_db()
    assert screener.can_see_reports
    client.force_login(screener.user)
    assert client.get(reports).status_code == 200
    client.force_login(manager.user)
    client.post(url, {"reports": "0"})
    screener.refresh_from_db()
    assert not screener.can_see_reports
    client.force_login(screener.user)
    assert client.get(reports).status_code == 403


def test_a_screener_cannot_give_themselves_the_reports(client, team):
    programme, _manager, screener = team
    client.force_login(screener.user)
    url = reverse("manage:team_reports", args=[programme.pk, screener.pk])
    assert client.post(url, {"reports": "1"}).status_code == 403
    screener.refresh_from_db()
    assert not screener.can_see_reports


def test_the_team_page_says_who_sees_reports(client, team):
    programme, manager, _screener = team
    client.force_login(manager.user)
    page = client.get(reverse("manage:team", args=[programme.pk])).content.decode()
    assert "Sees reports" in page and "Let them see reports" in page
