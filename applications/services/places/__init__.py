"""Places: offers, enrolment, the waiting list, and handing a freed place on.

Invariants, for every cohort:
- places_taken == its applications in lifecycle.HOLDS_A_PLACE, and
- places_taken <= capacity (a CHECK constraint in the database backs this up).

Every change to places_taken happens with the cohort row locked through
places.locking, cohort first and applications after in id order, so
concurrent requests and workers queue instead of deadlocking. Every service
re-checks its own preconditions on the locked rows and raises a PlacesError
when they do not hold, whoever called it. A freed place is handed to the next
person waiting in the same transaction.

Modules by topic: locking, selectors, moves (the building blocks), offers,
waitlist, hand_on, capacity, attendance, on_behalf (the team undoes or ends
a place), transfer (to another cohort of the programme), cancel (the whole
cohort), jobs (periodic), emails, errors.
This package exports the services and errors other code uses.
"""

from .attendance import attendance_record
from .cancel import COHORT_FINISHED, Cancellation, CancelRefused, cohort_cancel
from .capacity import application_place_release, cohort_capacity_change
from .errors import (
    CAPACITY_BELOW_TAKEN,
    COHORT_CANCELLED,
    COHORT_FULL,
    HOLDS_ANOTHER_PLACE,
    NO_OFFER,
    NOT_ENOUGH_PLACES,
    NOT_IN_COHORT,
    NOT_WAITING,
    OFFER_EXPIRED,
    OFFERS_CLOSED,
    STALE_WAITING_LIST,
    WAITING_LIST_CLOSED_REASON,
    AccountInactive,
    AttendanceRefused,
    CapacityTooLow,
    CohortCancelled,
    CohortFull,
    HoldsAnotherPlace,
    NoOffer,
    NotEnoughPlaces,
    NotOfferable,
    NotRejectable,
    NotWaiting,
    NotWaitlistable,
    OfferExpired,
    OffersClosed,
    PlacesError,
    StaleWaitingList,
)
from .hand_on import place_hand_on
from .jobs import offer_reminders_send, offers_expire_due, waiting_lists_close_due
from .offers import (
    application_offer,
    applications_offer_bulk,
    offer_accept,
    offer_decline,
    offer_expire,
)
from .on_behalf import NotEnrolled, ReasonNeeded, enrolment_withdraw, offer_rescind
from .selectors import (
    cohort_cancel_audience,
    cohort_has_started,
    offer_deadline,
    offer_has_lapsed,
    offers_open,
    waiting_list,
    waitlist_position,
)
from .transfer import TransferRefused, application_transfer
from .waitlist import (
    application_book_or_queue,
    application_reject,
    waitlist_add,
    waitlist_leave,
    waitlist_reorder,
)

__all__ = [
    "CAPACITY_BELOW_TAKEN",
    "COHORT_CANCELLED",
    "COHORT_FINISHED",
    "COHORT_FULL",
    "HOLDS_ANOTHER_PLACE",
    "NOT_ENOUGH_PLACES",
    "NOT_IN_COHORT",
    "NOT_WAITING",
    "NO_OFFER",
    "OFFERS_CLOSED",
    "OFFER_EXPIRED",
    "STALE_WAITING_LIST",
    "WAITING_LIST_CLOSED_REASON",
    "AccountInactive",
    "AttendanceRefused",
    "CancelRefused",
    "Cancellation",
    "CapacityTooLow",
    "CohortCancelled",
    "CohortFull",
    "HoldsAnotherPlace",
    "NoOffer",
    "NotEnoughPlaces",
    "NotEnrolled",
    "NotOfferable",
    "NotRejectable",
    "NotWaiting",
    "NotWaitlistable",
    "OfferExpired",
    "OffersClosed",
    "PlacesError",
    "ReasonNeeded",
    "StaleWaitingList",
    "TransferRefused",
    "application_book_or_queue",
    "application_offer",
    "application_place_release",
    "application_reject",
    "application_transfer",
    "applications_offer_bulk",
    "attendance_record",
    "cohort_cancel",
    "cohort_cancel_audience",
    "cohort_capacity_change",
    "cohort_has_started",
    "enrolment_withdraw",
    "offer_accept",
    "offer_deadline",
    "offer_decline",
    "offer_expire",
    "offer_has_lapsed",
    "offer_reminders_send",
    "offer_rescind",
    "offers_expire_due",
    "offers_open",
    "place_hand_on",
    "waiting_list",
    "waiting_lists_close_due",
    "waitlist_add",
    "waitlist_leave",
    "waitlist_position",
    "waitlist_reorder",
]
