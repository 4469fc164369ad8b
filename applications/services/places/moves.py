"""The moves every places service is built from. Call each with the cohort and the
application locked (places.locking); each re-checks what it needs on those rows.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from programmes.models import Cohort

from ...lifecycle import OFFERABLE, can_transition, transition
from ...models import Application
from ...models import ApplicationState as S
from . import emails
from .errors import (
    ACCOUNT_INACTIVE,
    HOLDS_ANOTHER_PLACE,
    NO_OFFERS_IN_MODE,
    NOT_OFFERABLE,
    OFFERS_CLOSED,
    AccountInactive,
    HoldsAnotherPlace,
    NotOfferable,
    OffersClosed,
)
from .locking import take_place
from .selectors import holds_another_place, offer_deadline, offers_open

OFFERED_BY_TEAM = "Offered a place by the programme team."


def ensure_can_hold_a_place(application: Application) -> None:
    """Refuse a place to a closed account, or to someone holding one elsewhere in the programme."""
    if not application.applicant.is_active:
        raise AccountInactive(ACCOUNT_INACTIVE)
    if holds_another_place(application):
        raise HoldsAnotherPlace(HOLDS_ANOTHER_PLACE)


def _ensure_offerable(application: Application) -> None:
    mode = application.cohort.programme.admission_mode
    if not any(can_transition(mode, state, S.OFFERED) for state in OFFERABLE | {S.DRAFT}):
        raise NotOfferable(NO_OFFERS_IN_MODE)
    if not can_transition(mode, application.state, S.OFFERED):
        raise NotOfferable(NOT_OFFERABLE)


def offer_make(
    *,
    cohort: Cohort,
    application: Application,
    by: User | None,
    reason: str,
    template: str | None,
) -> Application:
    """Offer a place. Call with the cohort and application locked."""
    _ensure_offerable(application)
    if not offers_open(cohort):
        raise OffersClosed(OFFERS_CLOSED)
    ensure_can_hold_a_place(application)
    take_place(cohort)
    now = timezone.now()
    application.offered_at = now
    application.offer_expires_at = offer_deadline(cohort, now)
    application.offer_reminder_sent_at = None
    transition(
        application=application,
        to=S.OFFERED,
        by=by,
        reason=reason,
        extra_fields=("offered_at", "offer_expires_at", "offer_reminder_sent_at"),
    )
    if template is not None:
        emails.send(application, template)
    return application


def enrol_make(
    *, cohort: Cohort, application: Application, by: User | None, reason: str, template: str
) -> Application:
    """Give a free place at once (first-come booking, or the head of its waiting list)."""
    if not offers_open(cohort):
        raise OffersClosed(OFFERS_CLOSED)
    ensure_can_hold_a_place(application)
    take_place(cohort)
    transition(application=application, to=S.ENROLLED, by=by, reason=reason)
    emails.send(application, template)
    return application


def waitlist_make(
    *, application: Application, by: User | None, reason: str, joined_at: dt.datetime | None = None
) -> Application:
    """Put someone on the waiting list, in line by `joined_at` (now unless given)."""
    application.waitlisted_at = joined_at or timezone.now()
    transition(
        application=application,
        to=S.WAITLISTED,
        by=by,
        reason=reason,
        extra_fields=("waitlisted_at",),
    )
    emails.send(application, "waitlisted")
    return application
