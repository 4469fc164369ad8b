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
