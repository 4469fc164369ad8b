"""The cohorts list and a cohort's dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import ApplicationState as S
from console.selectors import cohort_dashboard
from programmes.models import Cohort
from tests import factories

from .conftest import make_application, messages_of

pytestmark = pytest.mark.django_db


def test_cohorts_list_groups_cohorts_by_programme_with_places_left(cohort, manager_client):
    make_application(cohort, S.OFFERED)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=1)
    make_application(cohort, S.WAITLISTED)
    response = manager_client.get(reverse("manage:cohorts"))
    assert response.status_code == 200
    listed = list(response.context["cohorts"])
    assert [c.pk for c in listed] == [cohort.pk]
    assert (listed[0].places_left, listed[0].waiting_list_length, listed[0].applied) == (2, 1, 2)
    assert cohort.programme.title in response.content.decode()


def test_dashboard_counts_each_state_and_the_share_screened(cohort, manager) -> None:
    states = [S.SUBMITTED, S.ELIGIBLE, S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.OFFERED,
              S.ENROLLED, S.WAITLISTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.DRAFT]  # fmt: skip
    for state in states:
        make_application(cohort, state)
    # A person confirmed one of the eligible ones, and decided on five others.
    screened = cohort.applications.filter(state=S.ELIGIBLE).first()
    factories.ApplicationEventFactory(
        application=screened, actor=manager, from_state=S.ELIGIBLE, to_state=S.ELIGIBLE
    )
    decided = {S.OFFERED: S.OFFERED, S.ENROLLED: S.OFFERED, S.WAITLISTED: S.WAITLISTED,
               S.DECLINED: S.OFFERED, S.EXPIRED: S.OFFERED}  # fmt: skip
    for state, decision in decided.items():
        factories.ApplicationEventFactory(
            application=cohort.applications.get(state=state),
            actor=manager,
            from_state=S.ELIGIBLE,
            to_state=decision,
        )
    counts = cohort_dashboard(cohort=cohort)
    assert counts["applied"] == 11  # drafts are not applications yet
    assert counts[S.ELIGIBLE] == 2 and counts[S.NEEDS_REVIEW] == 1
    assert counts[S.OFFERED] == 1 and counts[S.ENROLLED] == 1 and counts[S.WAITLISTED] == 1
    assert counts[S.DECLINED] == 1 and counts[S.EXPIRED] == 1 and counts[S.WITHDRAWN] == 1
    # offered, enrolled, waitlisted, declined, expired were decided by a person; plus the
    # confirmed one.
    assert counts["screened"] == 6
    assert counts["screened_percent"] == 55


def test_dashboard_page_shows_places_left_and_counts(cohort, manager_client) -> None:
    make_application(cohort, S.NEEDS_REVIEW)
    response = manager_client.get(reverse("manage:cohort", args=[cohort.pk]))
    html = response.content.decode()
    assert response.context["cohort"].places_left == 3
    assert ("Needs review", 1) in [(str(label), n) for label, n in response.context["rows"]]
    assert "Change the number of places" in html


def test_screener_dashboard_has_no_capacity_form(cohort, screener_client) -> None:
    response = screener_client.get(reverse("manage:cohort", args=[cohort.pk]))
    assert "Change the number of places" not in response.content.decode()


def test_first_come_bookings_are_not_counted_as_screened_by_a_person(manager) -> None:
    cohort = factories.CohortFactory(programme__admission_mode="first_come", capacity=5)
    for _ in range(3):
        application = make_application(cohort, S.ENROLLED)
        factories.ApplicationEventFactory(
            application=application, actor=None, from_state=S.ELIGIBLE, to_state=S.ENROLLED
        )
    counts = cohort_dashboard(cohort=cohort)
    assert (counts["screened"], counts["screened_percent"]) == (0, 0)


def test_counts_on_the_dashboard_agree_with_their_nouns(cohort, manager_client) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
    url = reverse("manage:cohort", args=[cohort.pk])
    text = " ".join(manager_client.get(url).content.decode().split())
    assert "0 of 1 place taken or offered" in text
    response = manager_client.post(reverse("manage:capacity", args=[cohort.pk]), {"capacity": 2})
    assert "The cohort now has 2 places." in messages_of(response)
    response = manager_client.post(reverse("manage:capacity", args=[cohort.pk]), {"capacity": 1})
    assert "The cohort now has 1 place." in messages_of(response)
