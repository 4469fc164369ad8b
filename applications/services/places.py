"""Places: offers, enrolment, the waiting list, and handing a freed place on.

Invariants, for every cohort:
- places_taken == its applications that are OFFERED or ENROLLED, and
- places_taken <= capacity (a CHECK constraint in the database backs this up).

Every change to places_taken happens with the cohort row locked by
SELECT ... FOR UPDATE, and locks are always taken cohort first, application
second, so concurrent requests and workers queue instead of deadlocking. A
freed place is handed to the next person waiting in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from ..errors import ApplicationError
from ..lifecycle import transition
from ..models import Application, ApplicationEvent
from ..models import ApplicationState as S
from . import place_emails

COHORT_FULL = _("There are no places left on this cohort.")
NOT_ENOUGH_PLACES = _(
    "You chose %(chosen)s people but only %(left)s places are left. Choose fewer people "
    "or raise the number of places."
)
OFFERS_CLOSED = _(
    "Offers can no longer be made: the cohort has started or its offer cut-off has passed."
)
OFFER_EXPIRED = _("This offer expired on %(deadline)s, so the place has gone to someone else.")
CAPACITY_BELOW_TAKEN = _(
    "The cohort cannot have fewer places (%(capacity)s) than are already taken (%(taken)s)."
)
NOT_IN_COHORT = _("One of the people chosen is not an applicant for this cohort.")
STALE_WAITING_LIST = _(
    "The waiting list changed while you were looking at it. Nothing was saved; "
    "check the new order and try again."
)
WAITING_LIST_CLOSED_REASON = (
    "The waiting list closed: the cohort has started or offers have closed."
)
SKIPPED_HOLDS_ANOTHER_PLACE = (
    "Passed over for a freed place: already holds a place on another cohort of this programme."
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


class CapacityTooLow(PlacesError):
    pass


class StaleWaitingList(PlacesError):
    pass


# --- Reads -----------------------------------------------------------------


def waiting_list(cohort: Cohort) -> QuerySet[Application]:
    """The cohort's waiting list in the order places are offered."""
    return Application.objects.filter(cohort=cohort, state=S.WAITLISTED).order_by(
        "-waitlist_priority", "waitlisted_at", "id"
    )


def waitlist_position(application: Application) -> int | None:
    """1 for the next person to be offered a place; None when not waiting."""
    if application.state != S.WAITLISTED:
        return None
    ids = list(waiting_list(application.cohort).values_list("id", flat=True))
    return ids.index(application.pk) + 1


def offers_open(cohort: Cohort, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if timezone.localtime(now).date() >= cohort.starts_on:
        return False
    return cohort.offer_cutoff_at is None or now < cohort.offer_cutoff_at


def offer_has_lapsed(application: Application, now: dt.datetime | None = None) -> bool:
    """True once the deadline has passed, whether or not the expiry task has run."""
    return (
        application.state == S.OFFERED
        and application.offer_expires_at is not None
        and (now or timezone.now()) >= application.offer_expires_at
    )


# --- Locking helpers -------------------------------------------------------


def _lock_cohort(cohort_id: int) -> Cohort:
    return Cohort.objects.select_for_update().select_related("programme").get(pk=cohort_id)


def _lock_application(pk: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort__programme")
        .get(pk=pk)
    )


def _take_place(cohort: Cohort) -> None:
    if cohort.places_taken >= cohort.capacity:
        raise CohortFull(COHORT_FULL)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=F("places_taken") + 1)
    cohort.places_taken += 1


def _free_place(cohort: Cohort) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=F("places_taken") - 1)
    cohort.places_taken -= 1


def _offer_deadline(cohort: Cohort, now: dt.datetime) -> dt.datetime:
    deadline = now + dt.timedelta(days=cohort.offer_deadline_days)
    # Never later than the cut-off, so an accepted offer is never after offers close.
    if cohort.offer_cutoff_at is not None:
        deadline = min(deadline, cohort.offer_cutoff_at)
    return deadline


# --- Core moves (call with the cohort locked) -------------------------------


def _offer(
    *,
    cohort: Cohort,
    application: Application,
    by: User | None,
    reason: str,
    template: str | None,
) -> Application:
    if not offers_open(cohort):
        raise OffersClosed(OFFERS_CLOSED)
    _take_place(cohort)
    now = timezone.now()
    application.offered_at = now
    application.offer_expires_at = _offer_deadline(cohort, now)
    application.offer_reminder_sent_at = None
    transition(
        application=application,
        to=S.OFFERED,
        by=by,
        reason=reason,
        extra_fields=("offered_at", "offer_expires_at", "offer_reminder_sent_at"),
    )
    if template is not None:
        place_emails.send(application, template)
    _schedule_expiry(application)
    return application


def _enrol(
    *, cohort: Cohort, application: Application, by: User | None, reason: str, template: str
) -> Application:
    if application.state != S.OFFERED:
        _take_place(cohort)
    transition(application=application, to=S.ENROLLED, by=by, reason=reason)
    place_emails.send(application, template)
    return application


def _waitlist(*, application: Application, by: User | None, reason: str) -> Application:
    application.waitlisted_at = timezone.now()
    transition(
        application=application,
        to=S.WAITLISTED,
        by=by,
        reason=reason,
        extra_fields=("waitlisted_at",),
    )
    place_emails.send(application, "waitlisted")
    return application


def _schedule_expiry(application: Application) -> None:
    """Ask a worker to expire the offer at its deadline. The beat sweep is the safety net."""
    from ..tasks import offer_expire_task

    pk, eta = application.pk, application.offer_expires_at
    if eta is None:
        return

    def publish() -> None:
        try:
            offer_expire_task.apply_async((pk,), eta=eta, retry=False)
        except Exception:  # broker down: offers_expire_due_task will catch it
            return

    transaction.on_commit(publish, robust=True)


def place_hand_on(*, cohort: Cohort, by: User | None = None) -> list[Application]:
    """Give free places to the people waiting, in order. Call with the cohort locked.

    Selective cohorts get a time-limited offer; first-come cohorts enrol at once.
    Anyone passed over has the reason recorded on their application.
    """
    handed: list[Application] = []
    if not offers_open(cohort):
        return handed
    first_come = cohort.programme.admission_mode == AdmissionMode.FIRST_COME
    for candidate in waiting_list(cohort).select_related("applicant"):
        if cohort.places_taken >= cohort.capacity:
            break
        application = _lock_application(candidate.pk)
        if application.state != S.WAITLISTED:
            continue
        if _holds_another_place(application):
            ApplicationEvent.objects.create(
                application=application,
                actor=by,
                from_state=S.WAITLISTED,
                to_state=S.WAITLISTED,
                reason=SKIPPED_HOLDS_ANOTHER_PLACE,
            )
            continue
        reason = "A place became free and they were next on the waiting list."
        if first_come:
            _enrol(
                cohort=cohort, application=application, by=by, reason=reason,
                template="enrolled_from_waiting_list",
            )  # fmt: skip
        else:
            _offer(
                cohort=cohort, application=application, by=by, reason=reason,
                template="waitlist_offer",
            )  # fmt: skip
        handed.append(application)
    return handed


def _holds_another_place(application: Application) -> bool:
    return (
        Application.objects.filter(
            applicant_id=application.applicant_id,
            cohort__programme_id=application.cohort.programme_id,
            state__in=[S.OFFERED, S.ENROLLED],
        )
        .exclude(pk=application.pk)
        .exists()
    )


# --- Services --------------------------------------------------------------


def application_book_or_queue(*, application: Application) -> Application:
    """First-come cohorts: an eligible applicant gets a free place, or joins the queue.

    Runs inside the submission's transaction, straight after automatic screening.
    """
    cohort = _lock_cohort(application.cohort_id)
    if application.state != S.ELIGIBLE:
        return application
    if cohort.places_taken < cohort.capacity and offers_open(cohort):
        return _enrol(
            cohort=cohort,
            application=application,
            by=None,
            reason="Booked a free place on submission.",
            template="enrolled",
        )
    return _waitlist(
        application=application, by=None, reason="The cohort was full when they applied."
    )


def application_offer(
    *, application: Application, by: User, reason: str = "", notify: bool = True
) -> Application:
    """Offer a place. `notify=False` when the caller sends its own email (invitations)."""
    with transaction.atomic():
        cohort = _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        return _offer(
            cohort=cohort,
            application=locked,
            by=by,
            reason=reason or "Offered a place by the programme team.",
            template="offer_made" if notify else None,
        )


def applications_offer_bulk(
    *, cohort: Cohort, application_ids: Sequence[int], by: User
) -> list[Application]:
    """Offer places to everyone chosen, or to nobody if they do not all fit."""
    with transaction.atomic():
        locked_cohort = _lock_cohort(cohort.pk)
        left = locked_cohort.capacity - locked_cohort.places_taken
        if len(application_ids) > left:
            raise NotEnoughPlaces(
                NOT_ENOUGH_PLACES % {"chosen": len(application_ids), "left": left}
            )
        offered = []
        for pk in sorted(set(application_ids)):
            application = _lock_application(pk)
            if application.cohort_id != locked_cohort.pk:
                raise PlacesError(NOT_IN_COHORT)
            offered.append(
                _offer(
                    cohort=locked_cohort,
                    application=application,
                    by=by,
                    reason="Offered a place by the programme team.",
                    template="offer_made",
                )
            )
        return offered


def offer_accept(*, application: Application, by: User) -> Application:
    """Accept before the deadline. A lapsed offer is expired here, even if no task has run."""
    with transaction.atomic():
        cohort = _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        if offer_has_lapsed(locked):
            _expire(cohort=cohort, application=locked)
            deadline = timezone.localtime(locked.offer_expires_at).strftime("%-d %B %Y, %H:%M")
            expired = OfferExpired(OFFER_EXPIRED % {"deadline": deadline})
        else:
            expired = None
            _enrol(
                cohort=cohort,
                application=locked,
                by=by,
                reason="Accepted the offer.",
                template="enrolled",
            )
    if expired is not None:
        # Raised after commit: the expiry and the hand-on are kept.
        raise expired
    return locked


def offer_decline(*, application: Application, by: User, reason: str = "") -> Application:
    with transaction.atomic():
        cohort = _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        transition(application=locked, to=S.DECLINED, by=by, reason=reason or "Declined the offer.")
        _free_place(cohort)
        place_emails.send(locked, "offer_declined")
        place_hand_on(cohort=cohort, by=None)
    return locked


def _expire(*, cohort: Cohort, application: Application) -> None:
    transition(
        application=application,
        to=S.EXPIRED,
        by=None,
        reason="The offer was not accepted before its deadline.",
    )
    _free_place(cohort)
    place_emails.send(application, "offer_expired")
    place_hand_on(cohort=cohort, by=None)


def offer_expire(*, application_id: int, now: dt.datetime | None = None) -> bool:
    """Expire one offer if its deadline has passed. Safe to run any number of times."""
    with transaction.atomic():
        cohort_id = (
            Application.objects.filter(pk=application_id)
            .values_list("cohort_id", flat=True)
            .first()
        )
        if cohort_id is None:
            return False
        cohort = _lock_cohort(cohort_id)
        application = _lock_application(application_id)
        if not offer_has_lapsed(application, now):
            return False
        _expire(cohort=cohort, application=application)
        return True


def offers_expire_due(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Application.objects.filter(state=S.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(offer_expire(application_id=pk, now=now) for pk in list(due))


def application_place_release(*, cohort: Cohort, application: Application) -> None:
    """A withdrawal freed a place: give it back and hand it on. Cohort must be locked."""
    _free_place(cohort)
    place_hand_on(cohort=cohort, by=None)


def waitlist_add(*, application: Application, by: User, reason: str = "") -> Application:
    with transaction.atomic():
        _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        return _waitlist(
            application=locked,
            by=by,
            reason=reason or "Moved to the waiting list by the programme team.",
        )


def waitlist_leave(*, application: Application, by: User | None) -> Application:
    with transaction.atomic():
        _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        transition(application=locked, to=S.WITHDRAWN, by=by, reason="Left the waiting list.")
        place_emails.send(locked, "waitlist_left")
    return locked


def waitlist_reorder(
    *, cohort: Cohort, order: Sequence[int], expected: Sequence[int], by: User
) -> None:
    """Set the waiting list to `order`. `expected` is the order the staff member saw."""
    with transaction.atomic():
        locked = _lock_cohort(cohort.pk)
        current = list(waiting_list(locked).values_list("id", flat=True))
        if list(expected) != current or sorted(order) != sorted(current):
            raise StaleWaitingList(STALE_WAITING_LIST)
        top = len(order)
        for index, pk in enumerate(order):
            Application.objects.filter(pk=pk).update(waitlist_priority=top - index)
        for pk in order:
            ApplicationEvent.objects.create(
                application_id=pk,
                actor=by,
                from_state=S.WAITLISTED,
                to_state=S.WAITLISTED,
                reason="Waiting list reordered by the programme team.",
            )


def application_reject(*, application: Application, by: User, reason: str) -> Application:
    with transaction.atomic():
        _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        transition(application=locked, to=S.REJECTED, by=by, reason=reason)
        place_emails.send(locked, "rejected", reason=reason)
    return locked


def cohort_capacity_change(*, cohort: Cohort, capacity: int, by: User) -> Cohort:
    with transaction.atomic():
        locked = _lock_cohort(cohort.pk)
        if capacity < max(locked.places_taken, 1):
            raise CapacityTooLow(
                CAPACITY_BELOW_TAKEN % {"capacity": capacity, "taken": locked.places_taken}
            )
        Cohort.objects.filter(pk=locked.pk).update(capacity=capacity)
        locked.capacity = capacity
        place_hand_on(cohort=locked, by=by)
    return locked


def attendance_record(
    *, application: Application, completed: bool, by: User, reason: str = ""
) -> Application:
    with transaction.atomic():
        _lock_cohort(application.cohort_id)
        locked = _lock_application(application.pk)
        transition(
            application=locked,
            to=S.COMPLETED if completed else S.DID_NOT_COMPLETE,
            by=by,
            reason=reason or ("Completed the programme." if completed else "Did not complete."),
        )
    return locked


def waiting_lists_close_due(*, now: dt.datetime | None = None) -> int:
    """Close the waiting lists of cohorts that can take no more offers, telling each person."""
    now = now or timezone.now()
    closed = 0
    cohort_ids = set(
        Application.objects.filter(state=S.WAITLISTED).values_list("cohort_id", flat=True)
    )
    for cohort_id in cohort_ids:
        with transaction.atomic():
            cohort = _lock_cohort(cohort_id)
            if offers_open(cohort, now):
                continue
            for waiting in waiting_list(cohort):
                application = _lock_application(waiting.pk)
                transition(
                    application=application,
                    to=S.REJECTED,
                    by=None,
                    reason=WAITING_LIST_CLOSED_REASON,
                )
                place_emails.send(application, "waitlist_closed")
                closed += 1
    return closed


def offer_reminders_send(*, now: dt.datetime | None = None, within: dt.timedelta) -> int:
    """Remind people whose offer ends within `within`. Each offer is reminded once."""
    now = now or timezone.now()
    sent = 0
    due = Application.objects.filter(
        state=S.OFFERED,
        offer_reminder_sent_at__isnull=True,
        offer_expires_at__gt=now,
        offer_expires_at__lte=now + within,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            application = _lock_application(pk)
            if application.state != S.OFFERED or application.offer_reminder_sent_at is not None:
                continue
            application.offer_reminder_sent_at = now
            application.save(update_fields=["offer_reminder_sent_at"])
            place_emails.send(application, "offer_expiring_soon")
            sent += 1
    return sent
