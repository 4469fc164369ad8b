"""The reports' reads: one query for the facts of every application, one for the waiting
lists' history, one for the reference figures. Everything else is worked out in Python
(reports.figures) from these rows, so a report costs the same few queries whatever the
number of cohorts and applications.

The facts include each person's equality answers, so they never leave this app's
aggregation: no view or template is given a row, only suppressed counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from programmes.models import Cohort, Programme

from .dimensions import code_of_label
from .facts import Facts
from .models import ReferenceFigure


def _reached(*states: str) -> Exists:
    return Exists(ApplicationEvent.objects.filter(application=OuterRef("pk"), to_state__in=states))


EQUALITY_FIELDS = ("ethnic_group", "disability", "sex", "age_band", "household_earner_occupation")


def application_facts(*, cohorts: QuerySet[Cohort] | list[Cohort]) -> list[Facts]:
    """Every application that was made (submitted, or an invitation) to these cohorts.

    "Reached a stage" comes from the history of state changes, so someone who was
    offered a place and later withdrew still counts as offered.
    """
    first_screening = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), from_state=S.SUBMITTED)
        .order_by("created_at", "id")
        .values("to_state")[:1]
    )
    rows = (
        Application.objects.filter(cohort__in=cohorts)
        .annotate(
            was_submitted=_reached(S.SUBMITTED),
            screened_as=Subquery(first_screening),
            # A booking enrols without an offer: it was still given a place.
            reached_offer=_reached(S.OFFERED, S.ENROLLED),
            reached_enrolled=_reached(S.ENROLLED),
            reached_waiting_list=_reached(S.WAITLISTED),
            snapshot_sector=KT("snapshot__sector"),
            snapshot_nation=KT("snapshot__nation"),
            snapshot_employer_type=KT("snapshot__employer_type"),
        )
        .filter(Q(was_submitted=True) | Q(invited=True))
        .values(
            "cohort_id",
            "state",
            "screened_as",
            "reached_offer",
            "reached_enrolled",
            "reached_waiting_list",
            "snapshot_sector",
            "snapshot_nation",
            "snapshot_employer_type",
            "applicant__profile__sector",
            "applicant__profile__nation",
            "applicant__profile__employer_type",
            *(f"applicant__equality_answers__{name}" for name in EQUALITY_FIELDS),
        )
        .order_by()
    )
    return [_facts(row) for row in rows]


def _facts(row: dict[str, Any]) -> Facts:
    def background(name: str) -> str:
        # The details frozen at submission (labels) win; an invitation has none, so the
        # profile's current answer stands in.
        label = row[f"snapshot_{name}"]
        if label:
            return code_of_label(name, label)
        return row[f"applicant__profile__{name}"] or ""

    return Facts(
        cohort_id=row["cohort_id"],
        screened_as=row["screened_as"] or "",
        reached_offer=row["reached_offer"],
        reached_enrolled=row["reached_enrolled"],
        completed=row["state"] == S.COMPLETED,
        reached_waiting_list=row["reached_waiting_list"],
        sector=background("sector"),
        nation=background("nation"),
        employer_type=background("employer_type"),
        equality={
            name: row[f"applicant__equality_answers__{name}"] or "" for name in EQUALITY_FIELDS
        },
    )


@dataclass(frozen=True)
class WaitingListEvent:
    cohort_id: int
    application_id: int
    joined: bool  # False: left the list
    to_state: str
    at: dt.datetime


def waiting_list_events(*, cohorts: QuerySet[Cohort] | list[Cohort]) -> list[WaitingListEvent]:
    """Every join and leave of these cohorts' waiting lists, oldest first."""
    rows = (
        ApplicationEvent.objects.filter(application__cohort__in=cohorts)
        .filter(Q(to_state=S.WAITLISTED) | Q(from_state=S.WAITLISTED))
        .order_by("created_at", "id")
        .values_list("application__cohort_id", "application_id", "to_state", "created_at")
    )
    return [
        WaitingListEvent(cohort_id, application_id, to_state == S.WAITLISTED, to_state, at)
        for cohort_id, application_id, to_state, at in rows
    ]


def latest_reference_figures() -> dict[str, ReferenceFigure]:
    """The newest figure of each reference group."""
    latest: dict[str, ReferenceFigure] = {}
    for figure in ReferenceFigure.objects.order_by("group", "-as_of", "-id"):
        latest.setdefault(figure.group, figure)
    return latest


def programme_cohorts(*, programme: Programme) -> list[Cohort]:
    return list(programme.cohorts.order_by("starts_on", "name"))
