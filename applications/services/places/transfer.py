"""Moving someone to another cohort of the same programme (a deferral, or a better fit).

The person keeps their answers, their screening outcome and their documents; the
old application is withdrawn with the reason, and any place it held goes on to
the next person waiting there. On the new cohort they hold what they held
before: an offer stays an offer (same deadline), an enrolment stays an
enrolment (if a place is free), a place in a queue becomes the back of the new
queue, and a first-come booking is made or queued as on submission.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from ...lifecycle import HOLDS_A_PLACE, transition
from ...models import Application, ApplicationEvent, SupportingDocument
from ...models import ApplicationState as S
from . import emails
from .errors import OFFERS_CLOSED, OffersClosed, PlacesError
from .hand_on import place_hand_on
from .locking import free_place, lock_applications, lock_cohorts, take_place
from .moves import ensure_can_hold_a_place
from .on_behalf import reason_required
from .selectors import offers_open
from .waitlist import application_book_or_queue

TRANSFERABLE = frozenset(
    {S.ELIGIBLE, S.NEEDS_REVIEW, S.INELIGIBLE, S.WAITLISTED, S.OFFERED, S.ENROLLED}
)
NOT_SAME_PROGRAMME = _("People can only be moved to another cohort of the same programme.")
SAME_COHORT = _("Choose a different cohort: this is the one they are on.")
NOT_TRANSFERABLE = _(
    "Only people who are screened, waiting, offered a place or enrolled can be moved."
)
ALREADY_THERE = _("They already have an application for that cohort.")

# What the new application copies from the old one.
_KEPT = (
    "sections_done", "declarations", "supporting_statement", "endorser_name", "endorser_role",
    "endorser_email", "snapshot", "eligibility_outcome", "eligibility_results", "screened_at",
    "submitted_at", "invited", "offered_at", "offer_expires_at", "offer_reminder_sent_at",
)  # fmt: skip


class TransferRefused(PlacesError):
    pass


def application_transfer(
    *, application: Application, to_cohort: Cohort, by: User, reason: str
) -> Application:
    """Move `application` to `to_cohort`; returns the new application there."""
    reason = reason_required(reason)
    with transaction.atomic():
        source_id = Application.objects.values_list("cohort_id", flat=True).get(pk=application.pk)
        cohorts = lock_cohorts([source_id, to_cohort.pk])
        source, target = cohorts[source_id], cohorts[to_cohort.pk]
        (old,) = lock_applications([application.pk])
        old.cohort = source
        if target.pk == source.pk:
            raise TransferRefused(SAME_COHORT)
        if target.programme_id != source.programme_id:
            raise TransferRefused(NOT_SAME_PROGRAMME)
        if old.state not in TRANSFERABLE:
            raise TransferRefused(NOT_TRANSFERABLE)
        state = old.state
        if state in (S.OFFERED, S.ENROLLED, S.WAITLISTED) and not offers_open(target):
            raise OffersClosed(OFFERS_CLOSED)

        transition(
            application=old, to=S.WITHDRAWN, by=by, reason=f"Moved to {target.name}: {reason}"
        )
        new = _copy_to(old=old, target=target, state=state)
        SupportingDocument.objects.filter(application=old).update(application=new)
        ApplicationEvent.objects.create(
            application=new,
            actor=by,
            from_state=state,
            to_state=state,
            reason=f"Moved from {source.name}: {reason}",
        )
        if state in HOLDS_A_PLACE:
            ensure_can_hold_a_place(new)
            take_place(target)  # refuses (and undoes it all) if the new cohort is full
            free_place(source)
            place_hand_on(cohort=source, by=None)
        application_book_or_queue(cohort=target, application=new)
        if target.programme.admission_mode == AdmissionMode.FIRST_COME:
            # Nobody waits for a first-come place while one is free.
            place_hand_on(cohort=target, by=None)
        emails.send(new, "moved", reason=reason, previous=source.name)
    return new


def _copy_to(*, old: Application, target: Cohort, state: str) -> Application:
    new = Application(cohort=target, applicant=old.applicant, state=state)
    for name in _KEPT:
        setattr(new, name, getattr(old, name))
    if state == S.WAITLISTED:
        new.waitlisted_at = timezone.now()  # the back of the new queue
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as error:
        raise TransferRefused(ALREADY_THERE) from error
    return new
