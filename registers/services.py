"""Writes for sessions and registers. Each checks its own preconditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from applications.errors import ApplicationError
from applications.lifecycle import ATTENDANCE_MARKS
from applications.models import Application
from applications.models import ApplicationState as S
from programmes.models import COHORT_CANCELLED, Cohort

from .models import ENDS_AFTER_START, CohortSession, Mark, SessionAttendance

OUTSIDE_COHORT = _("A session must fall within the cohort's dates, %(starts)s to %(ends)s.")
NOT_YET = _("The register opens when the session starts, on %(when)s.")
NOT_ON_COHORT = _(
    "Some of the people marked are not taking part in this cohort. Nothing was saved."
)
UNKNOWN_MARK = _("Choose present, absent or sent apologies for each person.")
COPIED_OUTSIDE = ngettext_lazy(
    "One of the sessions, moved on as far as the start date, would fall outside the "
    "new dates. Make the cohort as long as the one you are copying, or leave the "
    "sessions out and add them afterwards.",
    "%(count)s of the sessions, moved on as far as the start date, would fall outside "
    "the new dates. Make the cohort as long as the one you are copying, or leave the "
    "sessions out and add them afterwards.",
    "count",
)

# Who is on a register: people who took up a place.
ON_THE_REGISTER = (S.ENROLLED, *ATTENDANCE_MARKS)


class RegisterError(ApplicationError):
    pass


def session_create(
    *,
    cohort: Cohort,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    online: bool,
    venue: str,
) -> CohortSession:
    if cohort.is_cancelled:
        raise RegisterError(COHORT_CANCELLED)
    if ends_at <= starts_at:
        raise RegisterError(ENDS_AFTER_START)
    first, last = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
    if first < cohort.starts_on or last > cohort.ends_on:
        raise RegisterError(
            OUTSIDE_COHORT
            % {
                "starts": formats.date_format(cohort.starts_on, "j F Y"),
                "ends": formats.date_format(cohort.ends_on, "j F Y"),
            }
        )
    return CohortSession.objects.create(
        cohort=cohort,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        online=online,
        venue=venue.strip(),
    )


def _moved_on(moment: dt.datetime, days: int) -> dt.datetime:
    """`days` later at the same UK clock time, whatever the clocks did in between."""
    local = timezone.make_naive(moment)
    return timezone.make_aware(local + dt.timedelta(days=days))


def sessions_copy(*, source: Cohort, target: Cohort) -> list[CohortSession]:
    """Copy `source`'s sessions to `target`, each moved on as far as the start date moved.

    All or nothing: a session that would fall outside `target`'s dates copies none.
    Registers are not copied: nobody has been to the new sessions yet.
    """
    if target.is_cancelled:
        raise RegisterError(COHORT_CANCELLED)
    days = (target.starts_on - source.starts_on).days
    copies = [
        CohortSession(
            cohort=target,
            title=session.title,
            starts_at=_moved_on(session.starts_at, days),
            ends_at=_moved_on(session.ends_at, days),
            online=session.online,
            venue=session.venue,
        )
        for session in CohortSession.objects.filter(cohort=source).order_by("starts_at", "pk")
    ]
    outside = sum(
        1
        for copy in copies
        if timezone.localtime(copy.starts_at).date() < target.starts_on
        or timezone.localtime(copy.ends_at).date() > target.ends_on
    )
    if outside:
        raise RegisterError(COPIED_OUTSIDE % {"count": outside})
    return CohortSession.objects.bulk_create(copies)


def register_record(
    *, session: CohortSession, marks: Mapping[int, str], by: User, now: dt.datetime | None = None
) -> int:
    """Save the register's marks ({application id: mark}) at once; returns how many changed.

    All or nothing: a mark for someone not on the register, or an unknown mark,
    saves nothing. Marks can be changed later (a register is corrected, not undone).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            CohortSession.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=session.pk)
        )
        # A cancelled cohort's register is kept as it was: nobody is on it any more.
        if locked.cohort.is_cancelled:
            raise RegisterError(COHORT_CANCELLED)
        if locked.starts_at > now:
            when = formats.date_format(timezone.localtime(locked.starts_at), "j F Y, H:i")
            raise RegisterError(NOT_YET % {"when": when})
        if any(mark not in Mark.values for mark in marks.values()):
            raise RegisterError(UNKNOWN_MARK)
        allowed = set(
            Application.objects.filter(
                cohort_id=locked.cohort_id, state__in=ON_THE_REGISTER, pk__in=list(marks)
            ).values_list("pk", flat=True)
        )
        if allowed != set(marks):
            raise RegisterError(NOT_ON_COHORT)
        existing = {
            row.application_id: row
            for row in SessionAttendance.objects.filter(session=locked, application_id__in=marks)
        }
        changed = 0
        for application_id, mark in sorted(marks.items()):
            row = existing.get(application_id)
            if row is None:
                SessionAttendance.objects.create(
                    session=locked, application_id=application_id, mark=mark, recorded_by=by
                )
                changed += 1
            elif row.mark != mark:
                row.mark, row.recorded_by = mark, by
                row.save(update_fields=["mark", "recorded_by", "recorded_at"])
                changed += 1
        return changed
