"""What someone can do about a cohort right now: the one call to action per cohort state."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AdmissionMode, Cohort, CohortStatus

APPLY = _("Apply")
BOOK = _("Book a place")
JOIN_WAITING_LIST = _("Join the waiting list")
BY_INVITATION = _("By invitation only")
OPENS_ON = _("Applications open %(date)s")
NOT_OPEN_YET = _("Applications not open yet")
CLOSED = _("Applications closed")
FINISHED = _("Finished")
CANCELLED = _("Cancelled")
CANCELLED_NOTE = _("This cohort will not go ahead.")
FULL_SELECTIVE_NOTE = _(
    "All places have been offered. You can still apply: if you are eligible you may be "
    "offered a place from the waiting list."
)
FULL_BOOKING_NOTE = _("This cohort is full. We offer places in waiting-list order as they free up.")
INVITATION_NOTE = _("The programme team invites people directly.")

# The applications app owns this page; it is written out rather than reversed
# so the directory does not depend on that app's URLs.
NEW_APPLICATION_PATH = "/account/applications/new/{cohort_id}/"


@dataclass(frozen=True)
class CohortAction:
    label: str | Promise
    href: str = ""
    note: str | Promise = ""


def cohort_action(*, cohort: Cohort, admission_mode: str) -> CohortAction:
    """The action for a cohort annotated by selectors.cohort_availability."""
    status = cohort.status  # type: ignore[attr-defined]
    href = NEW_APPLICATION_PATH.format(cohort_id=cohort.pk)
    if status == CohortStatus.OPEN:
        label = BOOK if admission_mode == AdmissionMode.FIRST_COME else APPLY
        return CohortAction(label=label, href=href)
    if status == CohortStatus.FULL_WAITLIST:
        if admission_mode == AdmissionMode.FIRST_COME:
            return CohortAction(label=JOIN_WAITING_LIST, href=href, note=FULL_BOOKING_NOTE)
        return CohortAction(label=APPLY, href=href, note=FULL_SELECTIVE_NOTE)
    if status == CohortStatus.INVITATION_ONLY:
        return CohortAction(label=BY_INVITATION, note=INVITATION_NOTE)
    if status == CohortStatus.UPCOMING_NOT_OPEN:
        if cohort.applications_open_at is None:
            return CohortAction(label=NOT_OPEN_YET)
        opens = date_format(timezone.localtime(cohort.applications_open_at), "j F Y")
        return CohortAction(label=OPENS_ON % {"date": opens})
    if status == CohortStatus.FINISHED:
        return CohortAction(label=FINISHED)
    if status == CohortStatus.CANCELLED:
        return CohortAction(label=CANCELLED, note=CANCELLED_NOTE)
    return CohortAction(label=CLOSED)
