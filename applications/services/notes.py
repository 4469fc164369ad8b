"""Team notes on an application: what the programme team wants each other to know.

A note changes no state, so it is not an ApplicationEvent. Notes are shown to the
programme's team on the application's console page and never on the applicant's
own pages; they are in the applicant's "download your data" file, because a note
about a person is personal data they have a right to see (privacy/selectors.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.models import Programme, ProgrammeTeamMember

from ..errors import ApplicationError
from ..models import Application, ApplicationNote, ApplicationState

NOTE_MAX_LENGTH = 2000
NOTE_EMPTY = _("Write the note before you save it.")
NOTE_TOO_LONG = _(
    "A note can be up to %(max)s characters long. This one has %(length)s: shorten it "
    "or split it into two notes."
)
NOTE_NOT_IN_TEAM = _("Only the programme's team can add notes to its applications.")
NOTE_ON_DRAFT = _("Notes can be added once the application has been submitted.")


class NoteRefused(ApplicationError):
    pass


def is_in_team(*, user: User, programme: Programme) -> bool:
    """A screener or manager of the programme, or a site administrator."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ProgrammeTeamMember.objects.filter(user=user, programme=programme).exists()


def application_note_add(*, application: Application, text: str, by: User) -> ApplicationNote:
    """Add a team note written by `by`. Refuses an empty or too long note, a note on a
    draft, and anyone outside the programme's team."""
    text = text.strip()
    if not text:
        raise NoteRefused(NOTE_EMPTY)
    if len(text) > NOTE_MAX_LENGTH:
        raise NoteRefused(
            NOTE_TOO_LONG % {"max": f"{NOTE_MAX_LENGTH:,}", "length": f"{len(text):,}"}
        )
    if application.state == ApplicationState.DRAFT:
        raise NoteRefused(NOTE_ON_DRAFT)
    if not is_in_team(user=by, programme=application.cohort.programme):
        raise NoteRefused(NOTE_NOT_IN_TEAM)
    # One insert: nothing else changes, so there is nothing to lock.
    return ApplicationNote.objects.create(application=application, author=by, text=text)
