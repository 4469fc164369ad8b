"""The position told on joining a waiting list is the one the list then gives.

`waitlist_position_on_joining` counts the people ahead in SQL of its own (it runs under
the cohort lock in every queued booking); `waiting_list` is the ORM's definition of the
line. Hypothesis builds lists with ties in priority and time, closed accounts and people
holding a place on another cohort of the programme, and the two must agree.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import ApplicationState as S
from applications.services import places
from applications.services.places.selectors import waitlist_position_on_joining
from tests.factories import ApplicationFactory, CohortFactory, UserFactory

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)

person = st.fixed_dictionaries(
    {
        "priority": st.integers(0, 2),
        "minute": st.integers(0, 3),  # few minutes, so times tie
        "active": st.booleans(),
        "holds_elsewhere": st.sampled_from([None, S.OFFERED, S.ENROLLED, S.COMPLETED]),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=st.lists(person, max_size=8), joiner=person)
def test_the_position_told_on_joining_is_the_position_in_the_line(
    line: list[dict], joiner: dict
) -> None:
    with transaction.atomic():
        cohort = CohortFactory()
        other = CohortFactory(programme=cohort.programme)

        def waiting(spec: dict) -> object:
            user = UserFactory(is_active=spec["active"])
            if spec["holds_elsewhere"]:
                ApplicationFactory(cohort=other, applicant=user, state=spec["holds_elsewhere"])
            return ApplicationFactory(
                cohort=cohort,
                applicant=user,
                state=S.WAITLISTED,
                waitlist_priority=spec["priority"],
                waitlisted_at=START + dt.timedelta(minutes=spec["minute"]),
            )

        for spec in line:
            waiting(spec)
        joining = waiting({**joiner, "active": True, "holds_elsewhere": None})
        told = waitlist_position_on_joining(
            joining, joined_at=joining.waitlisted_at, priority=joining.waitlist_priority
        )

        assert told == places.waitlist_position(joining)
        transaction.set_rollback(True)
