"""The applicant withdraws. A place they held goes back to the cohort at once."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from notifications.outbox import email_queue

from ..errors import NOT_WITHDRAWABLE, NotWithdrawable
from ..lifecycle import HOLDS_A_PLACE, WITHDRAWABLE, transition
from ..models import Application, ApplicationState
from .places import application_place_release
from .places.locking import lock_for


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    with transaction.atomic():
        cohort, locked = lock_for(application.pk)
        if locked.state not in WITHDRAWABLE:
            raise NotWithdrawable(NOT_WITHDRAWABLE)
        held_a_place = locked.state in HOLDS_A_PLACE
        transition(
            application=locked,
            to=ApplicationState.WITHDRAWN,
            by=by,
            reason=reason or "Withdrawn by the applicant.",
        )
        if held_a_place:
            application_place_release(cohort=cohort, application=locked)
        email_queue(
            to=locked.applicant.email,
            template="application_withdrawn",
            context={
                "name": locked.applicant.get_short_name(),
                "reference": locked.reference or "",
                "programme": locked.cohort.programme.title,
                "cohort": locked.cohort.name,
                "team_email": locked.cohort.programme.contact_email,
            },
        )
    return locked
