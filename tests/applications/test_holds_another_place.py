"""`holds_another_place` (SQL of its own, asked under the cohort lock in every booking) says
what the ORM's reading of the rule says: another application of the same person, in the same
programme, that is offered or enrolled."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.lifecycle import ACTIVE_PLACE
from applications.models import Application
from applications.models import ApplicationState as S
from applications.services.places.selectors import holds_another_place
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

pytestmark = pytest.mark.django_db

# One current application per person per cohort: the others are on cohorts of their own.
WHERE = ["same programme", "another programme"]
other_application = st.tuples(st.sampled_from(WHERE), st.sampled_from(list(S)))


def _by_the_orm(application: Application) -> bool:
    return (
        Application.objects.filter(
            applicant_id=application.applicant_id,
            cohort__programme_id=application.cohort.programme_id,
            state__in=ACTIVE_PLACE,
        )
        .exclude(pk=application.pk)
        .exists()
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    own_state=st.sampled_from(list(S)),
    others=st.lists(other_application, max_size=4),
    someone_else_holds=st.booleans(),
)
def test_it_agrees_with_the_orm(
    own_state: str, others: list[tuple[str, str]], someone_else_holds: bool
) -> None:
    with transaction.atomic():
        cohort = CohortFactory()
        programmes = {"same programme": cohort.programme, "another programme": None}
        person = UserFactory()
        application = ApplicationFactory(cohort=cohort, applicant=person, state=own_state)
        for where, state in others:
            elsewhere = CohortFactory(programme=programmes[where] or CohortFactory().programme)
            ApplicationFactory(cohort=elsewhere, applicant=person, state=state)
        if someone_else_holds:
            ApplicationFactory(cohort=CohortFactory(programme=cohort.programme), state=S.ENROLLED)

        assert holds_another_place(application) == _by_the_orm(application)
        transaction.set_rollback(True)


def test_an_enrolment_elsewhere_in_the_programme_counts_and_ones_elsewhere_do_not() -> None:
    cohort = CohortFactory()
    person = UserFactory()
    application = ApplicationFactory(cohort=cohort, applicant=person, state=S.ELIGIBLE)
    ApplicationFactory(cohort=CohortFactory(), applicant=person, state=S.ENROLLED)
    assert not holds_another_place(application)
    ApplicationFactory(
        cohort=CohortFactory(programme=cohort.programme), applicant=person, state=S.OFFERED
    )
    assert holds_another_place(application)
