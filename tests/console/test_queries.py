"""Every console page costs the same number of queries with 3 or 60 applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from applications.models import SupportingDocument
from tests import factories

from .conftest import make_application

pytestmark = pytest.mark.django_db

# Each page: session, user, then its own reads. Changing one of these is a
# decision: say why in the commit.
QUERIES = {
    "cohorts": 4,  # session, user, cohorts with availability and counts, the programmes
    # the user manages (for "Add a cohort", including programmes with none yet)
    "cohort": 6,  # + cohort, role, one aggregate of counts, the cohort's audit history
    "queue": 7,  # + cohort, paginator count, page of applications, counts, role
    "waiting_list": 5,  # + cohort, role, the list
    "attendance": 6,  # + cohort, role, the list, register marks per person (one aggregate)
    "application": 9,  # + application, documents, events, rules, role, waiting list,
    # the cohorts they could be moved to
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
    # The application shown has n events and n documents.
    shown = cohort.applications.filter(state=S.WAITLISTED).last()
    for i in range(n):
        factories.ApplicationEventFactory(application=shown, actor=manager)
        SupportingDocument.objects.create(
            application=shown, kind="cv", original_name=f"cv{i}.pdf",
            content_type="application/pdf", size=9, file=f"documents/x/{i}.pdf",
        )  # fmt: skip
        factories.EligibilityRuleFactory(programme=cohort.programme)
    return shown


@pytest.mark.parametrize("page", list(QUERIES))
def test_page_query_count_is_constant(
    page, filled, cohort, manager_client, django_assert_num_queries
) -> None:
    kwargs = {"pk": filled.pk} if page == "application" else {"pk": cohort.pk}
    url = reverse(f"manage:{page}", kwargs={} if page == "cohorts" else kwargs)
    with django_assert_num_queries(QUERIES[page]):
        response = manager_client.get(url)
    assert response.status_code == 200
