"""Why a change to places was refused. Each message is a constant that tests check."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# One message for every refusal on a cancelled cohort, defined beside Cohort.cancelled_at.
from programmes.models import COHORT_CANCELLED as COHORT_CANCELLED

from ...errors import ApplicationError

COHORT_FULL = _("There are no places left on this cohort.")
NOT_ENOUGH_PLACES = _(
    "You chose %(chosen)s but %(left)s. Choose fewer people or raise the number of places."
)
# The two counts of NOT_ENOUGH_PLACES, each agreeing with its own noun.
PEOPLE_CHOSEN = ngettext_lazy("%(count)s person", "%(count)s people", "count")
PLACES_LEFT = ngettext_lazy(
    "only %(count)s place is left", "only %(count)s places are left", "count"
)
OFFERS_CLOSED = _(
    "Offers can no longer be made: the cohort has started or its offer cut-off has passed."
)
OFFER_EXPIRED = _("This offer expired on %(deadline)s, so the place has gone to someone else.")
NO_OFFER = _("There is no offer to accept or decline on this application.")
CAPACITY_BELOW_TAKEN = _(
    "The cohort cannot have fewer places (%(capacity)s) than are already taken (%(taken)s)."
)
CAPACITY_NOT_POSITIVE = _("A cohort needs at least one place.")
NOT_IN_COHORT = _("One of the people chosen is not an applicant for this cohort.")
STALE_WAITING_LIST = _(
    "The waiting list changed while you were looking at it. Nothing was saved; "
    "check the new order and try again."
)
NOT_WAITING = _("You are not on the waiting list for this cohort.")
NOT_OFFERABLE = _("Only applications that are eligible, need review or are waiting can be offered.")
NO_OFFERS_IN_MODE = _(
    "This programme does not make offers: people book a free place or join the waiting list."
)
NOT_REJECTABLE = _(
    "Only applications that are eligible, need review or are waiting can be turned down."
)
NOT_WAITLISTABLE = _(
    "Only applications that are eligible or need review can join the waiting list."
)
HOLDS_ANOTHER_PLACE = _(
    "This person already holds a place on another cohort of this programme. "
    "A person can hold one place on a programme at a time."
)
ACCOUNT_INACTIVE = _("This person's account is closed, so they cannot be given a place.")
NOT_ENROLLED = _("Attendance can only be recorded for people who are enrolled on this cohort.")
NOT_STARTED = _("Attendance can be recorded once the cohort has started, on %(starts)s.")
CORRECTION_NEEDS_REASON = _("Give a reason for correcting the attendance record.")

WAITING_LIST_CLOSED_REASON = (
    "The waiting list closed: the cohort has started or offers have closed."
)
HANDED_ON_REASON = "A place became free and they were next on the waiting list."


def not_enough_places(*, chosen: int, left: int) -> str:
    """NOT_ENOUGH_PLACES filled in: "You chose 2 people but only 1 place is left. …"."""
    return str(
        NOT_ENOUGH_PLACES
        % {"chosen": PEOPLE_CHOSEN % {"count": chosen}, "left": PLACES_LEFT % {"count": left}}
    )


class PlacesError(ApplicationError):
    pass


class CohortFull(PlacesError):
    pass


class NotEnoughPlaces(PlacesError):
    pass


class OffersClosed(PlacesError):
    pass


class OfferExpired(PlacesError):
    pass


class NoOffer(PlacesError):
    pass


class CapacityTooLow(PlacesError):
    pass


class StaleWaitingList(PlacesError):
    pass


class NotWaiting(PlacesError):
    pass


class NotOfferable(PlacesError):
    pass


class NotRejectable(PlacesError):
    pass


class NotWaitlistable(PlacesError):
    pass


class HoldsAnotherPlace(PlacesError):
    pass


class AccountInactive(PlacesError):
    pass


class AttendanceRefused(PlacesError):
    pass


class CohortCancelled(PlacesError):
    """The cohort has been cancelled: refused by the locking helper, so by every service."""
