"""The audit log: every change to a programme, cohort, rule or team, with who and what."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor

from console.history import BY_THE_SYSTEM, history_of_cohort, history_of_programme
from programmes.models import ProgrammeTeamMember
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_cohort_change_records_who_and_the_values_before_and_after(cohort, manager) -> None:
    with set_actor(manager):
        cohort.venue = "Leeds Civic Hall"
        cohort.save()

    latest = history_of_cohort(cohort=cohort)[0]

    assert latest.by == "Morgan Manager"
    assert latest.action == "Changed"
    assert [(c.field, c.after) for c in latest.changes] == [("venue", "Leeds Civic Hall")]


def test_the_places_counter_is_not_logged(cohort) -> None:
    before = len(history_of_cohort(cohort=cohort))
    cohort.places_taken = 1
    cohort.save(update_fields=["places_taken"])

    assert len(history_of_cohort(cohort=cohort)) == before


def test_a_programme_history_keeps_a_team_member_who_was_removed(cohort, manager) -> None:
    screener = factories.UserFactory(email="gone@example.org", full_name="Gale Gone")
    member = factories.ProgrammeTeamMemberFactory(
        user=screener, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    with set_actor(manager):
        member.delete()

    latest = history_of_programme(programme=cohort.programme)[0]

    assert latest.action == "Removed"
    assert "Gale Gone" in latest.what or "gone@example.org" in latest.what
    assert latest.by == "Morgan Manager"


def test_a_change_made_outside_any_request_is_put_down_to_the_system(cohort) -> None:
    rule = factories.EligibilityRuleFactory(programme=cohort.programme)
    rule.message = "At least five years in a senior role."
    rule.save()

    latest = history_of_programme(programme=cohort.programme)[0]

    assert latest.by == str(BY_THE_SYSTEM)
    assert any(c.after == "At least five years in a senior role." for c in latest.changes)


def test_the_programme_history_is_one_query(cohort, django_assert_num_queries) -> None:
    for n in range(3):
        cohort.venue = f"Room {n}"
        cohort.save()
    with django_assert_num_queries(1):  # content types are cached: only the entries
        history_of_programme(programme=cohort.programme)
