"""Reads for data rights: what we hold about a person, and who the retention job may erase."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from post_office.models import STATUS, Email

from accounts.models import CareerEntry, Profile, User
from applications.lifecycle import HOLDS_A_PLACE, WITHDRAWABLE
from applications.models import Application, ApplicationEvent, ApplicationNote, ApplicationState
from equality.selectors import equality_answers_readable
from network.models import NetworkProfile
from programmes.models import FutureDatesSubscription, ProgrammeTeamMember, ProviderMembership

from .models import ERASURES, DataExport, PrivacyEvent


def data_exports_for(*, user: User) -> QuerySet[DataExport]:
    """The person's own downloads, newest first. One query, whatever the number."""
    return DataExport.objects.filter(user=user).order_by("-created_at", "-id")


def data_export_for(*, user: User, pk: int) -> DataExport:
    """The person's own download, or 404 for anyone else (never 403: no hints)."""
    export = DataExport.objects.filter(pk=pk, user=user).first()
    if export is None:
        raise Http404
    return export


def data_export_in_progress(*, user: User) -> DataExport | None:
    return (
        data_exports_for(user=user)
        .filter(status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING])
        .first()
    )


def has_roles(user: User) -> bool:
    """Staff, screener, provider or site administrator: anything beyond applying."""
    return (
        user.is_staff
        or user.is_superuser
        or ProgrammeTeamMember.objects.filter(user=user).exists()
        or ProviderMembership.objects.filter(user=user).exists()
    )


def is_erased(user: User) -> bool:
    return PrivacyEvent.objects.filter(user=user, kind__in=ERASURES).exists()


def cohort_is_running(cohort: Any, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(cohort.starts_on <= today <= cohort.ends_on)


def cohort_has_ended(cohort: Any, today: dt.date | None = None) -> bool:
    return bool(cohort.ends_on < (today or timezone.localdate()))


def to_give_up(application: Application, today: dt.date | None = None) -> bool:
    """Whether erasure withdraws this application before blanking it.

    Everything still open is withdrawn, so its place goes to the next person. An
    enrolment on a cohort that has already ended is left as it is: the person took
    part, the cohort's counts say so, and there is no place left to hand on.
    """
    if application.state not in WITHDRAWABLE:
        return False
    return not (
        application.state == ApplicationState.ENROLLED
        and cohort_has_ended(application.cohort, today)
    )


@dataclass
class DeletionSummary:
    """What deleting the account would do, for the confirmation page."""

    has_roles: bool
    withdrawn: list[Application] = field(default_factory=list)
    places: list[Application] = field(default_factory=list)
    running: list[Application] = field(default_factory=list)
    drafts: list[Application] = field(default_factory=list)


def deletion_summary(*, user: User) -> DeletionSummary:
    summary = DeletionSummary(has_roles=has_roles(user))
    today = timezone.localdate()
    for application in Application.objects.filter(applicant=user).select_related(
        "cohort__programme"
    ):
        if application.state == ApplicationState.DRAFT:
            summary.drafts.append(application)
        elif to_give_up(application, today):
            summary.withdrawn.append(application)
            if application.state in HOLDS_A_PLACE:
                summary.places.append(application)
            if application.state == ApplicationState.ENROLLED and cohort_is_running(
                application.cohort, today
            ):
                summary.running.append(application)
    return summary


def emails_to(address: str) -> list[Email]:
    """Outbox rows addressed to `address` (exactly, not as part of a longer address)."""
    address = address.strip().lower()
    candidates = Email.objects.filter(to__icontains=address).order_by("created", "id")
    return [email for email in candidates if address in [to.strip().lower() for to in email.to]]


def future_dates_subscriptions_of(address: str) -> QuerySet[FutureDatesSubscription]:
    return FutureDatesSubscription.objects.filter(email__iexact=address.strip())


def _date(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _actor(event: ApplicationEvent, user: User) -> str:
    if event.actor_id is None:
        return "the system"
    return "you" if event.actor_id == user.pk else "the programme team"


def document_path(document: Any) -> str:
    """Where a document sits inside the ZIP: unique, and named as it was uploaded."""
    name = document.original_name.replace("/", "_").replace("\\", "_") or "document"
    return f"documents/application-{document.application_id}/{document.pk}-{name}"


@dataclass
class PersonalData:
    """Everything held about one person: `data` goes into data.json, `documents` beside it."""

    data: dict[str, Any]
    documents: list[Any]


def personal_data(*, user: User) -> PersonalData:
    """Everything we hold about `user`, as JSON-ready values, and their document rows."""
    profile = Profile.objects.select_related("local_authority").filter(user=user).first()
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            Prefetch("notes", queryset=ApplicationNote.objects.order_by("created_at", "id")),
            "documents",
        )
        .order_by("created_at", "id")
    )
    documents = [document for a in applications for document in a.documents.all()]
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
            "email_verified_at": _date(user.email_verified_at),
            "is_active": user.is_active,
        },
        "profile": _profile(profile),
        "career_history": [
            {
                "role": entry.role_title,
                "organisation": entry.organisation,
                "sector": entry.get_sector_display(),
                "level": entry.get_seniority_display(),
                "started_on": _date(entry.started_on),
                "ended_on": _date(entry.ended_on),
            }
            for entry in CareerEntry.objects.filter(user=user).order_by("started_on", "pk")
        ],
        "applications": [_application(a, user) for a in applications],
        # Kept apart from the applications, as on the site; None if never answered.
        "equality_answers": equality_answers_readable(user=user),
        "emails_sent_to_you": [
            {
                "to": list(email.to),
                "subject": email.subject,
                "message": email.message,
                "status": _email_status(email.status),
                "created_at": _date(email.created),
            }
            for email in emails_to(user.email)
        ],
        "future_dates_subscriptions": [
            {
                "programme": subscription.programme.title,
                "email": subscription.email,
                "consent_given": subscription.consent_text,
                "consent_given_at": _date(subscription.consented_at),
                "confirmed_at": _date(subscription.confirmed_at),
                "unsubscribed_at": _date(subscription.unsubscribed_at),
            }
            for subscription in future_dates_subscriptions_of(user.email).select_related(
                "programme"
            )
        ],
        "peer_network_profiles": [
            {
                "programme": shared.programme.title,
                "name": shared.name,
                "job_title": shared.job_title,
                "employer": shared.employer,
                "local_authority": shared.local_authority.name if shared.local_authority else "",
                "region": shared.get_region_display(),
                "contact_email": shared.contact_email,
                "can_help_with": shared.can_help_with,
                "shown_alumni": shared.see_alumni,
                "joined_at": _date(shared.created_at),
            }
            for shared in NetworkProfile.objects.filter(user=user)
            .select_related("programme", "local_authority")
            .order_by("created_at", "pk")
        ],
        "data_rights_history": [
            {"what": event.get_kind_display(), "when": _date(event.created_at)}
            for event in PrivacyEvent.objects.filter(user=user).order_by("created_at", "id")
        ],
    }
    return PersonalData(data=data, documents=documents)


def _profile(profile: Profile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "phone": profile.phone,
        "job_title": profile.job_title,
        "current_role": profile.get_current_role_display(),
        "current_role_since": _date(profile.current_role_since),
        "employer_type": profile.get_employer_type_display(),
        "local_authority": profile.local_authority.name if profile.local_authority else None,
        "employer_name": profile.employer_name,
        "sector": profile.get_sector_display(),
        "nation": profile.get_nation_display(),
        "updated_at": _date(profile.updated_at),
    }


def _application(application: Application, user: User) -> dict[str, Any]:
    return {
        "id": application.pk,
        "programme": application.cohort.programme.title,
        "cohort": application.cohort.name,
        "state": application.get_state_display(),
        "created_at": _date(application.created_at),
        "updated_at": _date(application.updated_at),
        "submitted_at": _date(application.submitted_at),
        "sections_completed": application.sections_done,
        "answers": {
            "eligibility_answers": application.declarations,
            "supporting_statement": application.supporting_statement,
            "sponsor_or_line_manager": application.endorser_name,
            "their_role": application.endorser_role,
            "their_email": application.endorser_email,
        },
        "details_at_submission": application.snapshot,
        "eligibility": {
            "outcome": application.get_eligibility_outcome_display(),
            "rule_outcomes": application.eligibility_results,
            "screened_at": _date(application.screened_at),
        },
        "offered_at": _date(application.offered_at),
        "offer_deadline": _date(application.offer_expires_at),
        "joined_waiting_list_at": _date(application.waitlisted_at),
        "invited": application.invited,
        "history": [
            {
                "from": ApplicationState(event.from_state).label,
                "to": ApplicationState(event.to_state).label,
                "by": _actor(event, user),
                "reason": event.reason,
                "when": _date(event.created_at),
            }
            for event in application.events.all()
        ],
        # The programme team's notes about the application. They are never shown on the
        # applicant's pages, but a note about a person is personal data about them, and
        # the right of access (UK GDPR article 15) covers it, so the copy they ask for
        # holds it. As in the history, the author is "the programme team", not a named
        # member of staff: their names are other people's data.
        "team_notes": [
            {"note": note.text, "by": "the programme team", "when": _date(note.created_at)}
            for note in application.notes.all()
        ],
        "documents": [
            {
                "type": document.get_kind_display(),
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": _date(document.uploaded_at),
                "file_in_this_download": document_path(document),
            }
            for document in application.documents.all()
        ],
    }


def _email_status(status: int | None) -> str:
    names = {STATUS.sent: "sent", STATUS.failed: "failed", STATUS.queued: "waiting to be sent"}
    return names.get(status, "waiting to be sent") if status is not None else "unknown"


def inactive_applicants(*, cutoff: dt.datetime) -> QuerySet[User]:
    """Applicants with no sign-in and no change to an application since `cutoff`.

    Never anyone with a role (staff, screener, provider, site administrator), and
    never an account already erased, so the job that uses this is idempotent.
    """
    recent_application = Application.objects.filter(
        applicant=OuterRef("pk"), updated_at__gte=cutoff
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True))
        .exclude(Exists(ProgrammeTeamMember.objects.filter(user=OuterRef("pk"))))
        .exclude(Exists(ProviderMembership.objects.filter(user=OuterRef("pk"))))
        .exclude(Exists(recent_application))
        .exclude(Exists(PrivacyEvent.objects.filter(user=OuterRef("pk"), kind__in=ERASURES)))
        .order_by("pk")
    )
