"""Every console page costs the same number of queries with 3 or 60 applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from applications.models import SupportingDocument
from applications.services.assignment import application_assign
from applications.services.notes import application_note_add
from tests import factories
from tests.queries import session_reads

from .conftest import make_application

pytestmark = pytest.mark.django_db

# Each page: the session (session_reads(): none when Redis keeps it), then the user and the
# page's own reads, counted here. Changing one of these is a decision: say why in the commit.
QUERIES = {
    "cohorts": 3,  # user, cohorts with availability and counts, the programmes
    # the user manages (for "Add a cohort", including programmes with none yet)
    "cohort": 5,  # + cohort, role, one aggregate of counts, the cohort's audit history
    "queue": 7,  # + cohort, paginator count, page of applications, counts, role,
    # the team to assign the people chosen to (managers only)
    "waiting_list": 4,  # + cohort, role, the list
    "attendance": 5,  # + cohort, role, the list, register marks per person (one aggregate)
    "application": 11,  # + application, documents, events, rules, role, waiting list,
    # the cohorts they could be moved to, team notes, the team (to assign to), assignments
}


@pytest.fixture(params=[3, 60], ids=["3 rows", "60 rows"])
def filled(request, cohort, manager):  # type: ignore[no-untyped-def]
    """`n` of each kind of application, plus their history, on the cohort and its siblings."""
    n = request.param
    start = timezone.now() - dt.timedelta(days=5)
    for i in range(n):
        for state in (S.NEEDS_REVIEW, S.ENROLLED):
            make_application(cohort, state)
        waiting = make_application(
            cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(minutes=i)
        )
        factories.ApplicationEventFactory(
            application=waiting, actor=manager, from_state=S.ELIGIBLE, to_state=S.WAITLISTED
        )
        factories.CohortFactory(programme=cohort.programme)
    # The application shown has n events, documents, notes and assignments, and the
    # programme's team has n people; every application in the queue is assigned.
    shown = cohort.applications.filter(state=S.WAITLISTED).last()
    for i in range(n):
        member = factories.UserFactory()
        factories.ProgrammeTeamMemberFactory(user=member, programme=cohort.programme)
        application_assign(application=shown, to=member, by=manager)
        application_note_add(application=shown, text=f"Note {i}", by=manager)
        factories.ApplicationEventFactory(application=shown, actor=manager)
        SupportingDocument.objects.create(
            application=shown, kind="cv", original_name=f"cv{i}.pdf",
            content_type="application/pdf", size=9, file=f"documents/x/{i}.pdf",
        )  # fmt: skip
        factories.EligibilityRuleFactory(programme=cohort.programme)
    # Some assigned to the manager, some to nobody, so both filters find rows.
    cohort.applications.filter(state=S.NEEDS_REVIEW).update(assigned_to=manager)
    return shown


@pytest.mark.parametrize("page", list(QUERIES))
def test_page_query_count_is_constant(
    page, filled, cohort, manager_client, django_assert_num_queries
) -> None:
    kwargs = {"pk": filled.pk} if page == "application" else {"pk": cohort.pk}
    url = reverse(f"manage:{page}", kwargs={} if page == "cohorts" else kwargs)
    with django_assert_num_queries(session_reads() + QUERIES[page]):
        response = manager_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-name"},
        {"sort": "state", "state": "needs_review"},
        {"sort": "-outcome", "assigned": "me", "sector": "childrens_social_care"},
        {"assigned": "nobody", "submitted_from": "2020-01-01", "page": "2"},
    ],
    ids=["default", "by name", "by state, filtered", "by outcome, mine", "unassigned"],
)
def test_queue_with_sorting_filters_and_tags_costs_the_same_at_any_size(
    params, filled, cohort, manager_client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(session_reads() + QUERIES["queue"]):
        response = manager_client.get(reverse("manage:queue", args=[cohort.pk]), params)
    assert response.status_code == 200
    assert response.context["page"].object_list, "each case must list someone"
