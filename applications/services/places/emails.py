"""The emails about places: offers, enrolment, the waiting list. Queued in the caller's transaction.

The words live here so that every message shares one accessible layout
(templates/emails/place_notice.*) with a plain-text and an HTML part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.formatting import format_date, format_datetime
from notifications.outbox import RenderedEmail, email_queue, email_render, email_write
from programmes.models import Cohort, CohortStatus
from programmes.selectors import cohort_availability

from ...models import Application
from ...models import ApplicationState as S
from .selectors import waitlist_position


@dataclass(frozen=True)
class Notice:
    subject: str | Promise
    lines: tuple[str | Promise, ...]
    action: str | Promise = ""
    waiting_list: bool = False
    future_dates: bool = False


NOTICES: dict[str, Notice] = {
    "offer_made": Notice(
        _("You have been offered a place: %(programme)s"),
        (
            _("You have been offered a place on %(programme)s (%(cohort)s)."),
            _("Accept or decline it by %(deadline)s. After that the place goes to someone else."),
        ),
        action=_("Accept or decline your offer"),
    ),
    "waitlist_offer": Notice(
        _("A place has come up for you: %(programme)s"),
        (
            _(
                "A place on %(programme)s (%(cohort)s) has become free and you were next on the "
                "waiting list."
            ),
            _(
                "Accept or decline it by %(deadline)s. After that the place goes to the "
                "next person."
            ),
        ),
        action=_("Accept or decline your offer"),
    ),
    "offer_expiring_soon": Notice(
        _("Your offer ends soon: %(programme)s"),
        (_("Your offer of a place on %(programme)s (%(cohort)s) ends at %(deadline)s."),),
        action=_("Accept or decline your offer"),
    ),
    "offer_expired": Notice(
        _("Your offer has expired: %(programme)s"),
        (
            _(
                "Your offer of a place on %(programme)s (%(cohort)s) was not accepted by "
                "%(deadline)s, so it has gone to someone else."
            ),
        ),
        future_dates=True,
    ),
    "offer_declined": Notice(
        _("You declined your offer: %(programme)s"),
        (_("You declined your place on %(programme)s (%(cohort)s). Thank you for telling us."),),
    ),
    "enrolled": Notice(
        _("Your place is confirmed: %(programme)s"),
        (
            _("You have a place on %(programme)s (%(cohort)s), starting on %(starts)s."),
            _("The programme team will send joining details."),
        ),
        action=_("See your application"),
    ),
    "enrolled_from_waiting_list": Notice(
        _("You have a place: %(programme)s"),
        (
            _(
                "A place on %(programme)s (%(cohort)s) became free and, as you were next on the "
                "waiting list, it is now yours. The cohort starts on %(starts)s."
            ),
            _("If you can no longer take it, withdraw so it can go to someone else."),
        ),
        action=_("See your application"),
    ),
    "waitlisted": Notice(
        _("You are on the waiting list: %(programme)s"),
        (
            _(
                "You are on the waiting list for %(programme)s (%(cohort)s). You are number "
                "%(position)s."
            ),
            _("If a place becomes free and you are next, we will email you straight away."),
        ),
        action=_("See your place in the queue"),
        waiting_list=True,
    ),
    "waitlist_left": Notice(
        _("You have left the waiting list: %(programme)s"),
        (_("You are no longer on the waiting list for %(programme)s (%(cohort)s)."),),
        future_dates=True,
    ),
    "waitlist_closed": Notice(
        _("The waiting list has closed: %(programme)s"),
        (
            _(
                "The waiting list for %(programme)s (%(cohort)s) has closed because the cohort "
                "has started. We are sorry a place did not come up."
            ),
        ),
        future_dates=True,
    ),
    "offer_rescinded": Notice(
        _("Your offer has been withdrawn: %(programme)s"),
        (
            _(
                "The programme team has withdrawn your offer of a place on %(programme)s "
                "(%(cohort)s)."
            ),
            _("Their reason: %(reason)s"),
        ),
        future_dates=True,
    ),
    "invitation_withdrawn": Notice(
        _("Your invitation has been withdrawn: %(programme)s"),
        (
            _("The programme team has withdrawn your invitation to %(programme)s (%(cohort)s)."),
            _("Their reason: %(reason)s"),
        ),
    ),
    "withdrawn_by_team": Notice(
        _("You have been withdrawn: %(programme)s"),
        (
            _("The programme team has withdrawn you from %(programme)s (%(cohort)s)."),
            _("Their reason: %(reason)s"),
            _("Your place has gone to someone else."),
        ),
        future_dates=True,
    ),
    "moved": Notice(
        _("You have been moved to another cohort: %(programme)s"),
        (
            _(
                "The programme team has moved your application for %(programme)s from "
                "%(previous)s to %(cohort)s, which starts on %(starts)s."
            ),
            _("Their reason: %(reason)s"),
        ),
        action=_("See your application"),
    ),
    "rejected": Notice(
        _("Your application: %(programme)s"),
        (
            _("We are sorry: you have not been offered a place on %(programme)s (%(cohort)s)."),
            _("The programme team's reason: %(reason)s"),
        ),
        future_dates=True,
    ),
}


def send(application: Application, notice_key: str, **extra: Any) -> None:
    email_write(rendered=render(application, notice_key, **extra))


def render(application: Application, notice_key: str, **extra: Any) -> RenderedEmail:
    """The notice, rendered and not yet written: a service renders before it locks.

    `position` may be given (e.g. POSITION_MARKER, filled in under the lock); otherwise it
    is looked up, which for someone waiting is a query.
    """
    notice = NOTICES[notice_key]
    cohort = application.cohort
    deadline = format_datetime(application.offer_expires_at) if application.offer_expires_at else ""
    values = {
        "programme": cohort.programme.title,
        "cohort": cohort.name,
        "deadline": deadline,
        "starts": format_date(cohort.starts_on),
        "position": extra["position"] if "position" in extra else _position(application),
        "reason": extra.get("reason", ""),
        "previous": extra.get("previous", ""),
    }
    context: dict[str, Any] = {
        "name": application.applicant.get_short_name(),
        # Invited people never submit, so their applications may have no reference.
        "reference": application.reference or "",
        "subject": str(notice.subject) % values,
        "lines": [str(line) % values for line in notice.lines],
        "action": str(notice.action),
        "action_path": reverse("applications:detail", args=[application.pk]),
        "future_dates_path": cohort.programme.get_absolute_url() if notice.future_dates else "",
        "leave_path": "",
        "team_email": cohort.programme.contact_email,
    }
    if notice.waiting_list:
        from ...tokens import waitlist_leave_token

        context["leave_path"] = reverse(
            "applications:waitlist_leave_link", args=[waitlist_leave_token(application)]
        )
    return email_render(to=application.applicant.email, template="place_notice", context=context)


# Stands in for the waiting-list position in a notice rendered before the lock is taken;
# `with_position` puts the number in once it is known. Nothing a person types reaches a
# notice's lines, so it cannot appear there by accident.
POSITION_MARKER = "\u2063position\u2063"


def with_position(rendered: RenderedEmail, position: int) -> RenderedEmail:
    number = str(position)
    return RenderedEmail(
        to=rendered.to,
        subject=rendered.subject.replace(POSITION_MARKER, number),
        text=rendered.text.replace(POSITION_MARKER, number),
        html=rendered.html.replace(POSITION_MARKER, number),
    )


def _position(application: Application) -> int | str:
    return waitlist_position(application) or ""


# --- A cancelled cohort -------------------------------------------------------

# What each person had, in the words of the cancellation email.
CANCELLED_HAD: dict[str, str] = {
    S.ENROLLED: "place",
    S.OFFERED: "offer",
    S.WAITLISTED: "waiting",
}
# Other cohorts worth telling people about: ones they could apply to, now or later.
JOINABLE = (CohortStatus.OPEN, CohortStatus.FULL_WAITLIST, CohortStatus.UPCOMING_NOT_OPEN)


def other_dates(cohort: Cohort) -> list[dict[str, Any]]:
    """The programme's other cohorts someone could still apply to, soonest first (one query)."""
    others = cohort_availability(
        cohorts=Cohort.objects.filter(programme_id=cohort.programme_id)
        .exclude(pk=cohort.pk)
        .order_by("starts_on", "name")
    ).filter(Q(status__in=JOINABLE))  # an annotation: a Q, which the type checker allows
    return [
        {
            "name": other.name,
            "starts": format_date(other.starts_on),
            "status": str(CohortStatus(other.status).label),  # type: ignore[attr-defined]
        }
        for other in others
    ]


def send_cohort_cancelled(
    application: Application, *, was: str, reason: str, others: list[dict[str, Any]]
) -> None:
    """Tell one person their cohort was cancelled, why, and what they can do instead."""
    cohort = application.cohort
    programme = cohort.programme
    email_queue(
        to=application.applicant.email,
        template="cohort_cancelled",
        context={
            "name": application.applicant.get_short_name(),
            "reference": application.reference or "",
            "programme": programme.title,
            "cohort": cohort.name,
            "starts": format_date(cohort.starts_on),
            "started": cohort.starts_on <= timezone.localdate(),
            "had": CANCELLED_HAD.get(was, "application"),
            "reason": reason,
            "others": others,
            "programme_path": programme.get_absolute_url(),
            "future_dates_path": programme.get_absolute_url() + "#future-dates",
            "contact_email": programme.contact_email,
        },
    )
