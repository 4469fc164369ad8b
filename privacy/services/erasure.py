"""Erasing a person: give up their places through the places services, then blank them.

One service, `account_erase`, serves both "delete your account" and the retention
job, so both erase exactly the same things. In one transaction it:

1. gives up every open application through the applications' own services
   (`application_withdraw` locks the cohort, frees the place and hands it to the
   next person waiting; drafts go through `application_draft_delete`), cohorts in
   id order so two erasures never wait for each other in a circle;
2. erases what identifies the person: profile, career history, equality answers,
   documents (rows now, files once the transaction commits), downloads of their data, future-dates
   sign-ups, sign-in records, the emails we sent them, and the personal fields of
   each application; the account keeps its row (so counts, states, dates and the
   audit trail still add up) with a placeholder address, no name and no password;
3. records what was done (counts only) and, for a deletion, queues a confirmation
   to the address the person had, before it is erased.

What stays: application rows with their state and dates, rule outcomes without
their reasons, the history of each application (who, when, from, to; not the
free-text reasons, which may describe the person, nor the team's notes), and
places_taken, which only the places services changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from post_office.models import STATUS

from accounts.models import CareerEntry, Profile, User
from applications.errors import NotADraft, NotWithdrawable
from applications.lifecycle import HOLDS_A_PLACE
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationState,
    SupportingDocument,
)
from applications.services.drafts import application_draft_delete
from applications.services.withdrawal import application_withdraw
from equality.services import equality_answers_delete
from network.models import NetworkProfile
from notifications.outbox import email_queue
from programmes.models import ProgrammeTeamMember

from ..models import PrivacyEvent
from ..selectors import (
    cohort_is_running,
    emails_to,
    future_dates_subscriptions_of,
    has_roles,
    is_erased,
    to_give_up,
)
from .exports import data_exports_drop_for, privacy_event_record

HAS_ROLES = _(
    "Your account has a role on the portal: programme team, screener, provider staff or "
    "site administrator. Ask a site administrator to remove your roles first. "
    "Then you can delete your account here."
)
ALREADY_ERASED = _("This account has already been deleted.")
DELETED_REASON = "The applicant deleted their account."
RETENTION_REASON = "The account was anonymised after a long time without use."


class AccountHasRoles(Exception):
    """Erasing this account would take away someone the programmes depend on."""


class AlreadyErased(Exception):
    pass


@dataclass(frozen=True)
class Erasure:
    user_id: int
    withdrawn: int
    places_given_up: int
    drafts_deleted: int
    documents_deleted: int
    running_cohorts_told: int


def placeholder_email(user: User) -> str:
    # ".invalid" can never be a real mailbox (RFC 2606), the id keeps it unique, and
    # it is still a well-formed address, so the admin and post_office accept the row.
    return f"deleted-{user.pk}@deleted.invalid"


def _give_up_places(user: User, reason: str) -> tuple[int, int, int, list[Application]]:
    withdrawn = places = drafts = 0
    running: list[Application] = []
    today = timezone.localdate()
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme")
        .order_by("cohort_id", "id")
    )
    for application in applications:
        if application.state == ApplicationState.DRAFT:
            try:
                application_draft_delete(application=application)
            except NotADraft:
                continue  # submitted meanwhile: nothing left in the draft to delete
            drafts += 1
        elif to_give_up(application, today):
            held = application.state in HOLDS_A_PLACE
            was_enrolled = application.state == ApplicationState.ENROLLED
            try:
                application_withdraw(application=application, by=user, reason=reason)
            except NotWithdrawable:
                continue  # it ended meanwhile; there is nothing to give up
            withdrawn += 1
            places += held
            if was_enrolled and cohort_is_running(application.cohort, today):
                running.append(application)
    return withdrawn, places, drafts, running


def _tell_programme_teams(running: list[Application]) -> int:
    """Someone left a cohort that is running: the team hears it from us, not from a gap."""
    told = 0
    for application in running:
        managers = list(
            ProgrammeTeamMember.objects.filter(
                programme_id=application.cohort.programme_id,
                role=ProgrammeTeamMember.Role.MANAGER,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        if not managers:
            continue
        email_queue(
            to=managers,
            template="privacy_participant_left",
            context={
                "programme": application.cohort.programme.title,
                "cohort": application.cohort.name,
                "reference": application.pk,
            },
        )
        told += 1
    return told


def _erase_emails(address: str, placeholder: str) -> None:
    """Unsent mail to them is dropped; sent mail keeps its date and status, not its words."""
    for email in emails_to(address):
        others = [to for to in email.to if to.strip().lower() != address]
        if email.status != STATUS.sent and not others:
            email.delete()
            continue
        if email.status != STATUS.sent:
            email.to = others
            email.save(update_fields=["to"])
            continue
        email.to = [*others, placeholder]
        email.subject = email.message = email.html_message = ""
        email.context = None
        email.headers = None
        email.save(update_fields=["to", "subject", "message", "html_message", "context", "headers"])
        email.logs.update(message="")


def _erase_applications(user: User, events_before: int | None) -> int:
    applications = list(
        Application.objects.select_for_update(of=("self",)).filter(applicant=user).order_by("pk")
    )
    for application in applications:
        application.snapshot = {}
        application.declarations = {}
        application.supporting_statement = ""
        application.endorser_name = application.endorser_role = application.endorser_email = ""
        # The outcome of each rule stays (counts by outcome stay true); the reason,
        # written from the person's own answers, goes.
        application.eligibility_results = [
            {key: value for key, value in result.items() if key != "reason"}
            for result in application.eligibility_results
            if isinstance(result, dict)
        ]
    Application.objects.bulk_update(
        applications,
        [
            "snapshot",
            "declarations",
            "supporting_statement",
            "endorser_name",
            "endorser_role",
            "endorser_email",
            "eligibility_results",
        ],
    )
    if events_before is not None:
        ApplicationEvent.objects.filter(application__applicant=user, pk__lte=events_before).exclude(
            reason=""
        ).update(reason="")
    # The team's notes describe the person in free text, like the reasons above.
    ApplicationNote.objects.filter(application__applicant=user).delete()
    documents = list(SupportingDocument.objects.filter(application__applicant=user))
    for document in documents:
        transaction.on_commit(partial(document.file.storage.delete, document.file.name))
    SupportingDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    return len(documents)


def account_erase(*, user: User, kind: str, notify: bool) -> Erasure:
    """Give up the person's places, then erase what identifies them. See the module doc.

    `kind` is PrivacyEvent.Kind.ACCOUNT_DELETED (the person asked) or
    ACCOUNT_ANONYMISED (the retention job). Refuses an account with a role and an
    account already erased, rechecked under the account's row lock, so running it
    twice (a double click, two retention runs) has one effect.
    """
    reason = DELETED_REASON if kind == PrivacyEvent.Kind.ACCOUNT_DELETED else RETENTION_REASON
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(locked):
            raise AlreadyErased(ALREADY_ERASED)
        if has_roles(locked):
            raise AccountHasRoles(HAS_ROLES)
        address = locked.email
        placeholder = placeholder_email(locked)
        events_before = ApplicationEvent.objects.filter(application__applicant=locked).aggregate(
            last=Max("pk")
        )["last"]

        withdrawn, places, drafts, running = _give_up_places(locked, reason)
        told = _tell_programme_teams(running)

        documents = _erase_applications(locked, events_before)
        Profile.objects.filter(user=locked).delete()
        CareerEntry.objects.filter(user=locked).delete()
        equality_answers_delete(user=locked)
        NetworkProfile.objects.filter(user=locked).delete()
        future_dates_subscriptions_of(address).delete()
        data_exports_drop_for(user=locked)
        _erase_emails(address, placeholder)
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=address).delete()

        locked.email = placeholder
        locked.full_name = ""
        locked.email_verified_at = None
        locked.is_active = False
        # An unusable password also ends every session: each one carries a hash
        # of the old password, and Django signs a session out when it no longer matches.
        locked.set_unusable_password()
        locked.save(
            update_fields=["email", "full_name", "email_verified_at", "is_active", "password"]
        )

        result = Erasure(
            user_id=locked.pk,
            withdrawn=withdrawn,
            places_given_up=places,
            drafts_deleted=drafts,
            documents_deleted=documents,
            running_cohorts_told=told,
        )
        privacy_event_record(user=locked, kind=kind, detail=asdict(result))
        if notify:
            email_queue(
                to=address,
                template="privacy_account_deleted",
                context={"withdrawn": withdrawn, "places": places},
            )
    return result


def account_delete(*, user: User) -> Erasure:
    """The person deletes their own account (the view has checked their password)."""
    return account_erase(user=user, kind=PrivacyEvent.Kind.ACCOUNT_DELETED, notify=True)
