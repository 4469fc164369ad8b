"""Offers: made by the team (one or many), accepted, declined, or lapsing at the deadline.

Each service locks (places.locking), re-checks its own preconditions on the
locked rows, changes, records and queues its email in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from accounts.models import User
from notifications.formatting import format_datetime
from programmes.models import Cohort

from ...lifecycle import transition
from ...models import Application
from ...models import ApplicationState as S
from . import emails
from .errors import (
    NO_OFFER,
    NOT_IN_COHORT,
    OFFER_EXPIRED,
    NoOffer,
    NotEnoughPlaces,
    OfferExpired,
    PlacesError,
    not_enough_places,
)
from .hand_on import place_hand_on
from .locking import free_place, lock_applications, lock_cohort, lock_for
from .moves import OFFERED_BY_TEAM, offer_make
from .selectors import offer_has_lapsed


def application_offer(
    *, application: Application, by: User, reason: str = "", notify: bool = True
) -> Application:
    """Offer one place. `notify=False` when the caller sends its own email (invitations)."""
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        return offer_make(
            cohort=cohort,
            application=locked,
            by=by,
            reason=reason or OFFERED_BY_TEAM,
            template="offer_made" if notify else None,
        )


def applications_offer_bulk(
    *, cohort: Cohort, application_ids: Sequence[int], by: User
) -> list[Application]:
    """Offer places to everyone chosen, or to nobody if any of them cannot have one."""
    chosen = sorted(set(application_ids))
    with transaction.atomic():
        locked_cohort = lock_cohort(cohort.pk)
        locked = lock_applications(chosen)
        if len(locked) != len(chosen) or any(a.cohort_id != locked_cohort.pk for a in locked):
            raise PlacesError(NOT_IN_COHORT)
        left = locked_cohort.capacity - locked_cohort.places_taken
        if len(locked) > left:
            raise NotEnoughPlaces(not_enough_places(chosen=len(locked), left=left))
        for application in locked:
            application.cohort = locked_cohort
            offer_make(
                cohort=locked_cohort,
                application=application,
                by=by,
                reason=OFFERED_BY_TEAM,
                template="offer_made",
            )
        return locked


def _deadline_text(application: Application) -> str:
    assert application.offer_expires_at is not None
    return format_datetime(application.offer_expires_at)


def offer_expire_locked(*, cohort: Cohort, application: Application) -> None:
    """The deadline has passed: the place goes back and on. Call with both rows locked."""
    transition(
        application=application,
        to=S.EXPIRED,
        by=None,
        reason="The offer was not accepted before its deadline.",
    )
    free_place(cohort)
    emails.send(application, "offer_expired")
    place_hand_on(cohort=cohort, by=None)


def _respond(*, application: Application, accept: bool, by: User, reason: str) -> Application:
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state != S.OFFERED:
            raise NoOffer(NO_OFFER)
        if offer_has_lapsed(locked):
            # Expired here even if the sweep has not run; kept when the error is raised.
            offer_expire_locked(cohort=cohort, application=locked)
            expired = OfferExpired(OFFER_EXPIRED % {"deadline": _deadline_text(locked)})
        elif accept:
            transition(application=locked, to=S.ENROLLED, by=by, reason="Accepted the offer.")
            emails.send(locked, "enrolled")
            return locked
        else:
            transition(
                application=locked, to=S.DECLINED, by=by, reason=reason or "Declined the offer."
            )
            free_place(cohort)
            emails.send(locked, "offer_declined")
            place_hand_on(cohort=cohort, by=None)
            return locked
    raise expired


def offer_accept(*, application: Application, by: User) -> Application:
    """Accept an outstanding offer before its deadline. Anything else is refused."""
    return _respond(application=application, accept=True, by=by, reason="")


def offer_decline(*, application: Application, by: User, reason: str = "") -> Application:
    """Decline an outstanding offer; the place goes to the next person waiting."""
    return _respond(application=application, accept=False, by=by, reason=reason)


def offer_expire(*, application_id: int, now: dt.datetime | None = None) -> bool:
    """Expire one offer if its deadline has passed. Safe to run any number of times."""
    with transaction.atomic():
        try:
            # The sweep may hold an id from before the cohort was cancelled; the
            # offer was withdrawn then, so it has not lapsed and nothing happens.
            cohort, application = lock_for(application_id, cancelled_ok=True)
        except Application.DoesNotExist:
            return False
        if not offer_has_lapsed(application, now):
            return False
        offer_expire_locked(cohort=cohort, application=application)
        return True
