"""Domain errors of the applications app. Views turn them into messages and 4xx responses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

APPLICATIONS_NOT_OPEN = _("Applications for this cohort are not open.")
BY_INVITATION_ONLY = _("Places on this programme are by invitation only.")
NOT_PUBLISHED = _("This programme is not taking applications.")
ALREADY_SUBMITTED = _("This application has already been submitted.")
INCOMPLETE = _("Complete every section before you submit: %(sections)s.")
NOT_EDITABLE = _("A submitted application cannot be changed.")
NOT_WITHDRAWABLE = _("This application has ended, so there is nothing to withdraw.")
NOT_A_DRAFT = _("Only a draft can be deleted. A submitted application can be withdrawn.")


class ApplicationError(Exception):
    """A request about an application that cannot be met; the message says why."""


class ApplicationsClosed(ApplicationError):
    pass


class NotAcceptingApplications(ApplicationError):
    pass


class AlreadySubmitted(ApplicationError):
    pass


class ApplicationIncomplete(ApplicationError):
    pass


class ApplicationLocked(ApplicationError):
    pass


class NotWithdrawable(ApplicationError):
    pass


class NotADraft(ApplicationError):
    pass
