"""Domain errors of the catalogue's console services: programmes and their teams.

Views turn them into a message beside the form and a 409. The messages are module
constants so the pages and the tests share one wording.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STALE_PROGRAMME = _(
    "Someone else changed this programme since you opened the page, so nothing was saved. "
    "Open the latest version, check their changes, then make yours again."
)
NO_TEAM_EMAIL = _(
    "Add a team email before you publish: applicants see it on the programme page and in "
    "every email we send them about the programme."
)
SLUG_TAKEN = _("Another programme already uses this web address. Choose a different one.")
NO_ACCOUNT = _(
    "There is no account with the email address %(email)s. Ask the person to create an "
    "account on this site first, then add them."
)
ALREADY_IN_TEAM = _("%(email)s is already in the programme's team. Change their role instead.")
LAST_MANAGER = _(
    "A programme must keep at least one manager. Make someone else a manager first, "
    "then change or remove this person."
)
MEMBER_GONE = _("That person is no longer in the programme's team. Nothing was changed.")


class ProgrammeError(Exception):
    """A change to a programme or its team that cannot be made; the message says why."""


class StaleProgramme(ProgrammeError):
    pass


class CannotPublish(ProgrammeError):
    pass


class SlugTaken(ProgrammeError):
    pass


class NoAccount(ProgrammeError):
    pass


class AlreadyInTeam(ProgrammeError):
    pass


class LastManager(ProgrammeError):
    pass


class MemberGone(ProgrammeError):
    pass
