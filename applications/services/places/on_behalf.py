"""The programme team undoes or ends a place: rescinding an offer, taking back an
invitation, withdrawing an enrolled person. Each needs a reason, tells the person,
and hands the place on at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import AdmissionMode

from ...lifecycle import transition
from ...models import Application
from ...models import ApplicationState as S
from . import emails
from .capacity import application_place_release
from .errors import NO_OFFER, NoOffer, PlacesError
from .locking import lock_for

REASON_NEEDED = _("Give a reason: the person is told it by email.")
NOT_ENROLLED_NOW = _("Only someone enrolled on this cohort can be withdrawn by the team.")


class ReasonNeeded(PlacesError):
    pass


class NotEnrolled(PlacesError):
    pass


def reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReasonNeeded(REASON_NEEDED)
    return reason


def offer_rescind(*, application: Application, by: User, reason: str) -> Application:
    """Take back an outstanding offer (or a wrong invitation). The place goes on at once.

    A selective offer ends as "not offered a place"; an invitation is withdrawn,
    since the person never applied.
    """
    reason = reason_required(reason)
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state != S.OFFERED:
            raise NoOffer(NO_OFFER)
        invitation = cohort.programme.admission_mode == AdmissionMode.INVITATION
        transition(
            application=locked,
            to=S.WITHDRAWN if invitation else S.REJECTED,
            by=by,
            reason=f"Offer taken back by the programme team: {reason}",
        )
        emails.send(
            locked, "invitation_withdrawn" if invitation else "offer_rescinded", reason=reason
        )
        application_place_release(cohort=cohort, application=locked)
    return locked


def enrolment_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """Withdraw an enrolled person on their behalf (they asked, or cannot continue)."""
    reason = reason_required(reason)
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state != S.ENROLLED:
            raise NotEnrolled(NOT_ENROLLED_NOW)
        transition(
            application=locked,
            to=S.WITHDRAWN,
            by=by,
            reason=f"Withdrawn by the programme team: {reason}",
        )
        emails.send(locked, "withdrawn_by_team", reason=reason)
        application_place_release(cohort=cohort, application=locked)
    return locked
