"""Assigning an application to someone in the programme's team, to share out screening.

An assignment is a label for the team, not a permission (every screener may still
decide) and not a change of state, so it is not an ApplicationEvent: the lifecycle's
trail stays a record of states. It is written to the audit log instead (django-auditlog,
docs/adr/0006-audit-log-library.md), the project's record of who changed which field
when, with the names before and after, so "who gave this to me?" has an answer. The
entry is written here rather than by registering Application with auditlog, which
would log every save of every application.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import ProgrammeTeamMember

from ..errors import ApplicationError
from ..models import Application, ApplicationState
from .notes import is_in_team

NOT_IN_TEAM = _(
    "%(name)s is not in this programme's team, so the application cannot be assigned to them."
)
ASSIGNER_NOT_IN_TEAM = _("Only the programme's team can assign its applications.")
ASSIGN_DRAFT = _("A draft cannot be assigned: it has not been submitted.")
ASSIGNED_FIELD = "assigned_to"


class AssignmentRefused(ApplicationError):
    pass


def person_label(user: User | None) -> str:
    """How the audit log names a person: their name, or their address if no name."""
    if user is None:
        return ""
    return user.full_name or user.email


def application_assign(*, application: Application, to: User | None, by: User) -> Application:
    """Assign the application to `to`, a screener or manager of its programme, or to
    nobody (`to=None`). Assigning to whoever has it already changes and records nothing.

    Refuses (AssignmentRefused, nothing changed) someone outside the programme's team
    or with a closed account, a draft, and an assigner outside the team.
    """
    programme_id = application.cohort.programme_id
    with transaction.atomic():
        # Only this row changes and no place moves, so the application alone is locked
        # (of=self: not its cohort), which cannot wait in a circle with a booking.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("assigned_to", "cohort__programme")
            .get(pk=application.pk)
        )
        if locked.state == ApplicationState.DRAFT:
            raise AssignmentRefused(ASSIGN_DRAFT)
        if not is_in_team(user=by, programme=locked.cohort.programme):
            raise AssignmentRefused(ASSIGNER_NOT_IN_TEAM)
        if to is not None and not (
            to.is_active
            and ProgrammeTeamMember.objects.filter(user=to, programme_id=programme_id).exists()
        ):
            raise AssignmentRefused(NOT_IN_TEAM % {"name": person_label(to)})
        if locked.assigned_to_id == (to.pk if to else None):
            return locked
        before = locked.assigned_to
        locked.assigned_to = to
        # Not updated_at: an assignment is the team's bookkeeping, not a change to the
        # application that providers' "updated since" or the retention clock should see.
        locked.save(update_fields=[ASSIGNED_FIELD])
        LogEntry.objects.log_create(
            locked,
            action=LogEntry.Action.UPDATE,
            changes={ASSIGNED_FIELD: [person_label(before), person_label(to)]},
            actor=by,
            # The reference, not str(application), which names the applicant: the audit
            # log is kept when an applicant's account is erased.
            object_repr=locked.reference or f"application {locked.pk}",
            additional_data={"cohort_id": locked.cohort_id},
        )
    application.assigned_to = to
    return locked
