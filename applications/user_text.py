"""What we tell applicants happens next, for each state of their application."""

from django.utils.translation import gettext_lazy as _

from .models import ApplicationState as S

NEXT_STEPS = {
    S.DRAFT: _("Finish each section, check your answers and submit."),
    S.SUBMITTED: _("We are checking your application against the programme's rules."),
    S.ELIGIBLE: _(
        "You meet the programme's rules. The programme team will decide on places "
        "and tell you by email."
    ),
    S.NEEDS_REVIEW: _(
        "Someone from the programme team will look at the points we could not check "
        "automatically. We will email you when they have."
    ),
    S.INELIGIBLE: _(
        "Your application does not meet one or more of the programme's rules. The reasons "
        "are below. If you think this is wrong, contact the programme team."
    ),
    S.OFFERED: _("You have been offered a place. Accept or decline it before the deadline."),
    S.WAITLISTED: _("You are on the waiting list. We will email you if a place becomes free."),
    S.REJECTED: _("You have not been offered a place on this cohort."),
    S.ENROLLED: _("You have a place. The programme team will send joining details."),
    S.DECLINED: _("You declined the offer of a place."),
    S.EXPIRED: _("The offer of a place expired before it was accepted."),
    S.COMPLETED: _("You completed the programme."),
    S.DID_NOT_COMPLETE: _("The programme team recorded that you did not complete it."),
    S.WITHDRAWN: _("You withdrew this application."),
}

# The confirmation page after submitting: when the next step happens.
DECISION_AFTER_CLOSE = _(
    "Applications close on %(closes)s. The programme team decides on places after that "
    "and will email you."
)
DECISION_BY_EMAIL = _("The programme team will email you when they have decided.")
BOOKED_STARTS = _("Your place is booked. The cohort starts on %(starts)s.")
WAITING_POSITION = _(
    "The cohort is full, so you are on its waiting list: number %(position)s. "
    "If a place becomes free and you are next, it is yours and we will email you."
)
CONFIRMATION_EMAILED = _("We have sent a confirmation to %(email)s.")

# System reasons in the audit trail, in the words the applicant sees. The trail keeps
# what the service wrote; "free" there means "not taken", which on a paid course
# reads as "costs nothing".
HISTORY_REASONS = {
    "Booked a free place.": _("Booked one of the places still available."),
}
