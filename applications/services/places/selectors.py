"""Reads about places: the waiting list, positions, and whether offers are open.

The waiting list leaves out anyone who cannot be given a place now (a closed
account, or a place already held on another cohort of the same programme), so
they are never offered one, never counted in others' positions, and never
re-examined on every hand-on. They keep their spot and come back into the list
as soon as the reason goes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from programmes.models import Cohort

from ...lifecycle import ACTIVE_PLACE, WITHDRAWABLE
from ...models import Application
from ...models import ApplicationState as S


def place_elsewhere_in_programme() -> Exists:
    """For an application row: its applicant holds a place on another cohort of the programme."""
    return Exists(
        Application.objects.filter(
            applicant_id=OuterRef("applicant_id"),
            cohort__programme_id=OuterRef("cohort__programme_id"),
            state__in=ACTIVE_PLACE,
        ).exclude(pk=OuterRef("pk"))
    )


def waiting_list(cohort: Cohort) -> QuerySet[Application]:
    """The people who would be offered the cohort's next free place, in order."""
    return (
        Application.objects.filter(cohort=cohort, state=S.WAITLISTED, applicant__is_active=True)
        .exclude(applicant_id__in=_holding_a_place_in(cohort.programme_id))
        .order_by("-waitlist_priority", "waitlisted_at", "id")
    )


def _holding_a_place_in(programme_id: int) -> QuerySet[Application, Any]:
    # The programme is known, so this is one uncorrelated subquery that PostgreSQL hashes
    # once; place_elsewhere_in_programme()'s correlated form was planned as a loop over
    # every holder for each person waiting (9 ms against 0.8 ms at 275 waiting), whenever
    # the planner's statistics were older than the waiting list, as in a booking rush.
    # A waiting application never holds a place itself, so "elsewhere" needs no pk test.
    return Application.objects.filter(
        cohort__programme_id=programme_id, state__in=ACTIVE_PLACE
    ).values("applicant_id")


def waitlist_position(application: Application) -> int | None:
    """1 for the next person to be offered a place; None when not in line for one."""
    if application.state != S.WAITLISTED:
        return None
    ids = list(waiting_list(application.cohort).values_list("id", flat=True))
    return ids.index(application.pk) + 1 if application.pk in ids else None


def waitlist_position_on_joining(
    application: Application, *, joined_at: dt.datetime, priority: int
) -> int:
    """The position `application` takes on joining its cohort's waiting list now: one more
    than the people ahead of it in waiting_list's order.

    One COUNT, written out rather than built by the ORM: it runs under the cohort lock in
    every booking that queues, and building it took about 2 ms of Python against 0.1 ms for
    the database to answer. It keeps waiting_list()'s rules (an active account, no place
    held in the programme); tests/applications/test_waitlist_position.py holds the two
    to agreeing.
    """
    table = Application._meta.db_table
    users = User._meta.db_table
    cohorts = Cohort._meta.db_table
    holding = ", ".join(["%s"] * len(ACTIVE_PLACE))
    sql = f"""
        SELECT COUNT(*) FROM {table} a
        JOIN {users} u ON u.id = a.applicant_id
        WHERE a.cohort_id = %s AND a.state = %s AND u.is_active = %s
          AND a.applicant_id NOT IN (
              SELECT h.applicant_id FROM {table} h
              JOIN {cohorts} c ON c.id = h.cohort_id
              WHERE c.programme_id = %s AND h.state IN ({holding})
          )
          AND (a.waitlist_priority > %s OR (a.waitlist_priority = %s AND (
              a.waitlisted_at < %s OR (a.waitlisted_at = %s AND a.id < %s))))
    """  # noqa: S608 (table names from the models; every value is a parameter)
    at = connection.ops.adapt_datetimefield_value(joined_at)
    params = [
        application.cohort_id, S.WAITLISTED, True,
        application.cohort.programme_id, *sorted(ACTIVE_PLACE),
        priority, priority, at, at, application.pk,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (ahead,) = cursor.fetchone()
    return int(ahead) + 1


def holds_another_place(application: Application) -> bool:
    """Whether the applicant holds a place (offered or enrolled) on another application in
    the same programme.

    Written out for the same reason as waitlist_position_on_joining: every booking asks it
    under the cohort lock, and the ORM spent longer building the EXISTS than PostgreSQL
    spends answering it. tests/applications/test_holds_another_place.py holds it to the
    ORM's reading of the rule.
    """
    table = Application._meta.db_table
    cohorts = Cohort._meta.db_table
    holding = ", ".join(["%s"] * len(ACTIVE_PLACE))
    sql = f"""
        SELECT EXISTS (
            SELECT 1 FROM {table} h
            JOIN {cohorts} c ON c.id = h.cohort_id
            WHERE h.applicant_id = %s AND c.programme_id = %s
              AND h.state IN ({holding}) AND h.id <> %s
        )
    """  # noqa: S608 (table names from the models; every value is a parameter)
    params: list[Any] = [
        application.applicant_id, application.cohort.programme_id,
        *sorted(ACTIVE_PLACE), application.pk,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (held,) = cursor.fetchone()
    return bool(held)


def offers_open(cohort: Cohort, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if timezone.localtime(now).date() >= cohort.starts_on:
        return False
    return cohort.offer_cutoff_at is None or now < cohort.offer_cutoff_at


def offer_has_lapsed(application: Application, now: dt.datetime | None = None) -> bool:
    """True once the deadline has passed, whether or not the expiry sweep has run."""
    return (
        application.state == S.OFFERED
        and application.offer_expires_at is not None
        and (now or timezone.now()) >= application.offer_expires_at
    )


def offer_deadline(cohort: Cohort, now: dt.datetime) -> dt.datetime:
    deadline = now + dt.timedelta(days=cohort.offer_deadline_days)
    # Never later than the cut-off, so an accepted offer is never after offers close.
    if cohort.offer_cutoff_at is not None:
        deadline = min(deadline, cohort.offer_cutoff_at)
    return deadline


def cohort_has_started(cohort: Cohort) -> bool:
    return cohort.starts_on <= timezone.localdate()


@dataclass(frozen=True)
class CancelAudience:
    """Who cancelling a cohort would tell, by what they have now."""

    holding: int  # enrolled: they hold a place
    offered: int
    waiting: int
    screening: int  # submitted and not decided yet (eligible or not, or waiting for review)
    drafts: int  # started but not sent: not told, and can no longer send it

    @property
    def told(self) -> int:
        return self.holding + self.offered + self.waiting + self.screening


def cohort_cancel_audience(*, cohort: Cohort) -> CancelAudience:
    """Counts for the cancel confirmation page, in one aggregate query."""
    screening = WITHDRAWABLE - {S.ENROLLED, S.OFFERED, S.WAITLISTED}
    counts = Application.objects.filter(cohort=cohort).aggregate(
        holding=Count("pk", filter=Q(state=S.ENROLLED)),
        offered=Count("pk", filter=Q(state=S.OFFERED)),
        waiting=Count("pk", filter=Q(state=S.WAITLISTED)),
        screening=Count("pk", filter=Q(state__in=screening)),
        drafts=Count("pk", filter=Q(state=S.DRAFT)),
    )
    return CancelAudience(**counts)
