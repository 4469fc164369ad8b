"""People on known paths through a cohort, with equality answers, for the report tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from equality.models import EqualityAnswers
from programmes.models import Cohort
from tests import factories

ENROLLED_PATH = (S.SUBMITTED, S.ELIGIBLE, S.OFFERED, S.ENROLLED)
COMPLETED_PATH = (*ENROLLED_PATH, S.COMPLETED)
INELIGIBLE_PATH = (S.SUBMITTED, S.INELIGIBLE)
ELIGIBLE_PATH = (S.SUBMITTED, S.ELIGIBLE)
REJECTED_PATH = (S.SUBMITTED, S.NEEDS_REVIEW, S.REJECTED)

SNAPSHOT = {
    "sector": "Children's social care",
    "nation": "England",
    "employer_type": "Local authority",
}


def person(
    cohort: Cohort,
    path: tuple[str, ...] = ENROLLED_PATH,
    *,
    snapshot: dict[str, Any] | None = None,
    times: list[dt.datetime] | None = None,
    **answers: str,
) -> Application:
    """An application that went through `path` (after its draft), with one event a step.

    `answers` are EqualityAnswers fields; with none, the person never answered.
    """
    user = factories.UserFactory()
    application = Application.objects.create(
        cohort=cohort,
        applicant=user,
        state=path[-1],
        submitted_at=timezone.now() if S.SUBMITTED in path else None,
        invited=S.SUBMITTED not in path,
        snapshot=SNAPSHOT if snapshot is None else snapshot,
    )
    before = S.DRAFT
    for index, state in enumerate(path):
        event = ApplicationEvent.objects.create(
            application=application, from_state=before, to_state=state
        )
        if times is not None:
            ApplicationEvent.objects.filter(pk=event.pk).update(created_at=times[index])
        before = state
    if answers:
        EqualityAnswers.objects.create(user=user, **answers)
    return application


def people(
    cohort: Cohort, count: int, path: tuple[str, ...] = ENROLLED_PATH, **answers: str
) -> None:
    for _ in range(count):
        person(cohort, path, **answers)
