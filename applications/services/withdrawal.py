"""The applicant withdraws. A place they held goes back to the cohort at once."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from notifications.outbox import email_queue
from programmes.models import Cohort

from ..lifecycle import HOLDS_A_PLACE, transition
from ..models import Application, ApplicationState
from .places import application_place_release


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    with transaction.atomic():
        # Lock order everywhere: cohort, then application, so two writers never deadlock.
        cohort = (
            Cohort.objects.select_for_update()
            .select_related("programme")
            .get(pk=application.cohort_id)
        )
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "applicant")
            .get(pk=application.pk)
        )
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
                "programme": locked.cohort.programme.title,
                "cohort": locked.cohort.name,
            },
        )
    return locked
