"""Who may use each URL: one declared expectation per role for every URL pattern.

Adding a URL without adding it here fails tests/authz/test_matrix.py, so nothing
new can ship without someone deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "applicant", "screener", "staff", "provider", "admin")

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only_admin(allowed: int = OK, others: int = REDIRECT) -> dict[str, int]:
    return {**everyone(others), "admin": allowed}


@dataclass(frozen=True)
class Case:
    """What each role gets from one URL.

    For a POST, every role not named in `acts` must change nothing at all (no row
    written, no work queued for after commit), whatever its status. Each role in
    `acts` must change exactly the tables in `changes` (labels as in
    tests/authz/fingerprint.py). Leaving a POST unchecked takes a reason in
    `outcome_unchecked`; nothing in the matrix needs one today.
    """

    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    why: str = ""
    acts: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    outcome_unchecked: str = ""


def signed_in(status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def owner_only(owner: int = OK, others: int = NOT_FOUND) -> dict[str, int]:
    """The applicant's own application: theirs to use, invisible (404) to everyone else."""
    return {**everyone(others), "anonymous": REDIRECT, "applicant": owner}


def own_application(world: Any) -> Any:
    from tests import factories

    cohort = world.programme.cohorts.first()
    existing = cohort.applications.filter(applicant=world.users["applicant"]).first()
    return existing or factories.ApplicationFactory(
        cohort=cohort, applicant=world.users["applicant"], state="draft"
    )


def document_of(application: Any) -> dict[str, Any]:
    """A small PDF on `application`, as the kwargs of a document URL."""
    from django.core.files.base import ContentFile

    from applications.models import SupportingDocument

    document = SupportingDocument(
        application=application, kind="cv", original_name="cv.pdf",
        content_type="application/pdf", size=9,
    )  # fmt: skip
    document.file.save("matrix-cv.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"pk": application.pk, "document_id": document.pk}


def own_document(world: Any) -> dict[str, Any]:
    return document_of(own_application(world))


def own_career_entry(world: Any) -> dict[str, Any]:
    from tests import factories

    return {"pk": factories.CareerEntryFactory(user=world.users["applicant"]).pk}


def account_link(kind: str) -> Callable[[Any], dict[str, Any]]:
    """Genuine, unexpired tokens for the applicant's email and password links."""

    def kwargs(world: Any) -> dict[str, Any]:
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        from accounts.tokens import email_change_token, email_verify_token

        user = world.users["applicant"]
        if kind == "verify":
            return {"token": email_verify_token(user)}
        if kind == "change":
            return {"token": email_change_token(user, "applicant.new@example.org")}
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }

    return kwargs


def leave_token(world: Any) -> str:
    from applications.tokens import waitlist_leave_token

    return waitlist_leave_token(own_application(world))


MANAGERS = ("staff", "admin")


def team_only(manager: int = OK, screener: int = OK) -> dict[str, int]:
    """The staff console: the programme's team (and site admins); 404 for everyone else."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": REDIRECT,
        "staff": manager,
        "admin": manager,
        "screener": screener,
    }


def console_application(world: Any) -> Any:
    """A submitted, eligible application on world.programme's cohort (drafts are not shown)."""
    from tests import factories

    cohort = world.programme.cohorts.first()
    candidate = factories.UserFactory(email="candidate@example.org")
    existing = cohort.applications.filter(applicant=candidate).first()
    return existing or factories.ApplicationFactory(
        cohort=cohort, applicant=candidate, state="eligible", eligibility_outcome="eligible"
    )


def assigned_application(world: Any) -> dict[str, Any]:
    """console_application, assigned to the programme's manager (so a POST can unassign)."""
    application = console_application(world)
    application.assigned_to = world.users["staff"]
    application.save(update_fields=["assigned_to"])
    return {"pk": application.pk}


def console_document(world: Any) -> dict[str, Any]:
    return document_of(console_application(world))


def console_cohort(world: Any) -> dict[str, Any]:
    return {"pk": world.programme.cohorts.first().pk}


def console_programme(world: Any) -> dict[str, Any]:
    return {"pk": world.programme.pk}


def console_rule(world: Any) -> dict[str, Any]:
    """An eligibility rule of world.programme, in use."""
    from tests import factories

    rule = world.programme.eligibility_rules.first() or factories.EligibilityRuleFactory(
        programme=world.programme
    )
    return {"pk": rule.pk}


def console_session(world: Any) -> dict[str, Any]:
    """A session of world.programme's cohort that has started, so its register is open."""
    import datetime as dt

    from django.utils import timezone

    from registers.models import CohortSession

    cohort = world.programme.cohorts.first()
    start = timezone.now() - dt.timedelta(hours=1)
    session = CohortSession.objects.create(
        cohort=cohort, title="Module 1", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    return {"pk": session.pk}


def console_invitation_import(world: Any) -> dict[str, Any]:
    """A CSV import waiting in preview on world.programme's cohort, uploaded by its manager."""
    from applications.models import InvitationImport

    row = {
        "line": 2, "full_name": "Nia Jones", "email": "nia@example.org", "local_authority": "",
        "local_authority_id": None, "appointed_on": "", "verdict": "invite", "why": "",
    }  # fmt: skip
    job = InvitationImport.objects.create(
        cohort=world.programme.cohorts.first(), created_by=world.users["staff"],
        file_name="people.csv", rows=[row], total=1,
    )  # fmt: skip
    return {"pk": job.pk}


def screener_membership(world: Any) -> dict[str, Any]:
    """world.programme's screener, as the kwargs of a team member URL."""
    member = world.programme.team.get(user=world.users["screener"])
    return {"pk": world.programme.pk, "member_pk": member.pk}


def provider_only(provider: int = OK) -> dict[str, int]:
    """The provider area: the provider's staff only; 403 for everyone else signed in."""
    return {**everyone(FORBIDDEN), "anonymous": REDIRECT, "provider": provider}


def reports_only(allowed: int = OK) -> dict[str, int]:
    """Reports: who sees the programme's figures; 403 for signed-in people who see none."""
    return {
        **everyone(FORBIDDEN),
        "anonymous": REDIRECT,
        "staff": allowed,
        "provider": allowed,
        "admin": allowed,
    }


def report_programme(world: Any) -> dict[str, Any]:
    return {"slug": world.programme.slug}


def report_programme_csv(world: Any) -> dict[str, Any]:
    return {"slug": world.programme.slug, "table": "funnel"}


def report_cohort(world: Any) -> dict[str, Any]:
    return {"slug": world.programme.slug, "pk": world.programme.cohorts.first().pk}


def report_cohort_csv(world: Any) -> dict[str, Any]:
    return {**report_cohort(world), "table": "breakdown-ethnic_group"}


def provider_export_job(world: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from providers.models import ExportJob

    cohort = world.programme.cohorts.first()
    job = ExportJob.objects.create(
        provider=world.programme.providers.first(),
        cohort=cohort,
        format="csv",
        status="done",
        row_count=0,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    job.file.save("matrix-export.csv", ContentFile(b"\xef\xbb\xbfName\r\n"), save=True)
    return {"pk": job.pk}


def provider_token(world: Any) -> dict[str, Any]:
    from providers.services import token_create

    token, _key = token_create(
        provider=world.programme.providers.first(), by=world.users["provider"], name="matrix"
    )
    return {"pk": token.pk}


def own_data_export(world: Any) -> dict[str, Any]:
    """The applicant's own "download your data" ZIP, ready and not yet expired."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from privacy.models import DataExport

    export = DataExport.objects.create(
        user=world.users["applicant"],
        status="done",
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    export.file.save("matrix-data.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return {"pk": export.pk}


def participants_resource(world: Any) -> dict[str, Any]:
    """A published, participants-only resource of world.programme with a small PDF."""
    from django.core.files.base import ContentFile

    from resources.models import Resource

    resource = Resource.objects.filter(programme=world.programme).first()
    if resource is None:
        resource = Resource(
            programme=world.programme, title="Matrix guide", summary="A guide.", kind="guide",
            status="published", visibility="participants", original_name="guide.pdf",
            content_type="application/pdf", size=9,
        )  # fmt: skip
        resource.file.save("matrix-guide.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        resource.programmes.set([world.programme])
    return {"pk": resource.pk}


MATRIX: dict[str, Case] = {
    "home:index": Case(everyone(OK), why="public home page"),
    "programmes:list": Case(everyone(OK), why="public directory"),
    "programmes:detail": Case(
        everyone(OK),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="public programme page (published programmes only)",
    ),
    # --- Directory extras, the public API and its docs: public, read only.
    "programmes:cohorts_ics": Case(
        everyone(OK),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="public iCalendar of a published programme's cohort dates",
    ),
    "programmes:future_dates": Case(
        everyone(OK),
        method="post",
        kwargs=lambda world: {"slug": world.programme.slug},
        why="anyone may sign up; POST only; an empty form re-displays with errors",
    ),
    "programmes:future_dates_confirm": Case(
        everyone(OK),
        kwargs=lambda world: {
            "slug": world.programme.slug,
            "token": world.programme.future_dates_subscriptions.get_or_create(
                email="matrix@example.org",
                defaults={"consent_text": "matrix", "consented_at": world.programme.created_at},
            )[0].confirm_token,
        },
        why="the signed token is the credential; GET only shows a confirm button",
    ),
    "programmes:future_dates_unsubscribe": Case(
        everyone(OK),
        kwargs=lambda world: {
            "slug": world.programme.slug,
            "token": world.programme.future_dates_subscriptions.get_or_create(
                email="matrix@example.org",
                defaults={"consent_text": "matrix", "consented_at": world.programme.created_at},
            )[0].unsubscribe_token,
        },
        why="the signed token is the credential; GET only shows an unsubscribe button",
    ),
    "api:v1-programme-list": Case(everyone(OK), why="public API; published programmes only"),
    "api:v1-programme-detail": Case(
        everyone(OK), kwargs=lambda world: {"slug": world.programme.slug}, why="public API"
    ),
    "api:v1-cohort-list": Case(everyone(OK), why="public API; cohorts of published programmes"),
    "api:v1-cohort-detail": Case(
        everyone(OK), kwargs=lambda world: {"pk": world.programme.cohorts.first().pk}
    ),
    "api:not_found": Case(
        everyone(NOT_FOUND),
        kwargs=lambda world: {"path": "v1/cohorts/abc/enrolments/"},
        why="no endpoint here: a JSON 404 for everyone",
    ),
    "api:schema": Case(everyone(OK), why="public OpenAPI schema"),
    "api:docs": Case(everyone(OK), why="public API docs; assets served locally"),
    "eligibility:check": Case(
        everyone(OK),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="public 'Am I eligible?' page; stores nothing",
    ),
    "healthz": Case(everyone(OK), why="monitoring; names dependencies, no personal data"),
    # --- The pages every footer links to: public, read only.
    "pages:privacy": Case(everyone(OK), why="public privacy notice"),
    "pages:accessibility": Case(everyone(OK), why="public accessibility statement"),
    "pages:cookies": Case(everyone(OK), why="public cookies page"),
    "pages:contact": Case(everyone(OK), why="public contact page: programmes and providers"),
    "accounts:login": Case(
        {**everyone(REDIRECT), "anonymous": OK},
        why="signed-in people are sent on to where they were going",
    ),
    "accounts:logout": Case(everyone(REDIRECT), method="post", why="signs out; POST only"),
    # --- Accounts: the signed-in person's own account, profile and career history.
    "accounts:home": Case(signed_in(OK), why="account dashboard: own data only"),
    "accounts:signup": Case(
        {**everyone(REDIRECT), "anonymous": OK},
        why="signed-in people already have an account and go to it",
    ),
    "accounts:verify_email": Case(
        everyone(OK),
        kwargs=account_link("verify"),
        why="the token is the credential (opened from an email, maybe on another device); "
        "GET only shows a confirm button",
    ),
    "accounts:resend_verification": Case(
        signed_in(REDIRECT), method="post", why="POST only; back to the verify page"
    ),
    "accounts:verify_needed": Case(signed_in(OK), why="where unverified applicants are sent"),
    "accounts:change_email": Case(signed_in(OK)),
    "accounts:change_email_confirm": Case(
        everyone(OK),
        kwargs=account_link("change"),
        why="the token proves the new mailbox; GET only shows a confirm button",
    ),
    "accounts:profile": Case(signed_in(OK), why="always the signed-in person's own profile"),
    "accounts:career": Case(signed_in(OK), why="always the signed-in person's own history"),
    "accounts:career_add": Case(signed_in(OK)),
    "accounts:career_edit": Case(owner_only(), kwargs=own_career_entry),
    "accounts:career_delete": Case(owner_only(), kwargs=own_career_entry),
    "accounts:password_reset": Case(everyone(OK), why="never says whether an account exists"),
    "accounts:password_reset_done": Case(everyone(OK)),
    "accounts:password_reset_confirm": Case(
        everyone(REDIRECT),
        kwargs=account_link("reset"),
        why="a valid link is swapped for a token-free URL so the token never leaks",
    ),
    "accounts:password_reset_complete": Case(everyone(OK)),
    # --- Two-step sign-in. The test client's privileged sessions have passed it
    # (tests/conftest.py); the applicant has not turned it on.
    "accounts:second_factor_verify": Case(
        everyone(REDIRECT),
        why="verified sessions go on to next; the applicant has no app, so is sent to set one up",
    ),
    "accounts:second_factor_setup": Case(
        signed_in(OK), why="anyone signed in may set up an app; the secret waits in the session"
    ),
    "accounts:second_factor_recovery_codes": Case(
        everyone(REDIRECT), why="shows only codes just made in this session; none here"
    ),
    "accounts:second_factor_recovery_codes_new": Case(
        everyone(REDIRECT),
        method="post",
        why="replaces the signed-in person's own codes; needs a verified session",
        acts=("screener", "staff", "provider", "admin"),
        changes=("otp_static.staticdevice", "otp_static.statictoken"),
    ),
    "accounts:second_factor_turn_off": Case(
        {**everyone(FORBIDDEN), "anonymous": REDIRECT, "applicant": REDIRECT},
        why="privileged roles must keep it; the applicant has nothing to turn off",
    ),
    "accounts:password_change": Case(signed_in(OK)),
    "accounts:password_change_done": Case(signed_in(OK)),
    # --- The applicant's applications: signed in, verified, and only their own.
    "applications:list": Case(signed_in(OK), why="each person sees only their own list"),
    "applications:new": Case(
        signed_in(OK),
        kwargs=lambda w: {"cohort_id": w.programme.cohorts.first().pk},
        why="start page for an open cohort",
    ),
    "applications:detail": Case(owner_only(), kwargs=lambda w: {"pk": own_application(w).pk}),
    "applications:check": Case(owner_only(), kwargs=lambda w: {"pk": own_application(w).pk}),
    "applications:submit": Case(
        owner_only(REDIRECT),
        method="post",
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="an incomplete draft is sent back to check answers",
    ),
    "applications:submitted": Case(
        owner_only(REDIRECT),
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft has nothing to confirm yet: the owner is sent to its task list",
    ),
    "applications:withdraw": Case(
        owner_only(REDIRECT),
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft is deleted, not withdrawn: the owner is sent to the delete page",
    ),
    "applications:draft_delete": Case(
        owner_only(), kwargs=lambda w: {"pk": own_application(w).pk}, why="asks first"
    ),
    "applications:section": Case(
        owner_only(),
        kwargs=lambda w: {"pk": own_application(w).pk, "section": "statement"},
    ),
    "applications:document_upload": Case(
        owner_only(400),
        method="post",
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a POST without a file re-displays the form with an error",
    ),
    "applications:document_download": Case(owner_only(), kwargs=own_document),
    "applications:accept": Case(
        owner_only(409),
        method="post",
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft has no offer: the owner is refused with the reason; others get 404",
    ),
    "applications:decline": Case(
        owner_only(409),
        method="post",
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft has no offer: the owner is refused with the reason; others get 404",
    ),
    "applications:waitlist_leave": Case(
        owner_only(409),
        method="post",
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft is not waiting: refused with the reason; others get 404",
    ),
    "applications:waitlist_leave_link": Case(
        everyone(OK),
        kwargs=lambda w: {"token": leave_token(w)},
        why="the signed link is the credential; GET only shows a button",
    ),
    "applications:document_delete": Case(
        owner_only(REDIRECT),
        method="post",
        kwargs=own_document,
        acts=("applicant",),
        # The application's updated_at too: its version, which a submission checks.
        changes=("applications.application", "applications.supportingdocument"),
    ),
    # --- Staff console (/manage/): the programme's team; 404 elsewhere, 403 page for
    # screeners on what only managers may do. POSTs with empty forms re-display (400)
    # or redirect back with a message (302).
    "manage:cohorts": Case(
        signed_in(OK), why="anyone signed in; people in no team see 'You do not manage any…'"
    ),
    "manage:cohort": Case(team_only(), kwargs=console_cohort),
    "manage:queue": Case(team_only(), kwargs=console_cohort),
    "manage:waiting_list": Case(team_only(), kwargs=console_cohort),
    "manage:attendance": Case(team_only(), kwargs=console_cohort),
    "manage:application": Case(
        team_only(), kwargs=lambda w: {"pk": console_application(w).pk}, why="no drafts"
    ),
    "manage:document": Case(team_only(), kwargs=console_document),
    "manage:decide": Case(
        team_only(400, 400),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="screeners and managers decide; an empty form re-displays with errors",
    ),
    "manage:offer": Case(
        team_only(REDIRECT, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only",
        acts=MANAGERS,
        changes=(
            "applications.application",
            "applications.applicationevent",
            "post_office.email",
            "programmes.cohort",
        ),
    ),
    "manage:reject": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only; a reason is required",
    ),
    "registers:my_sessions_ics": Case(
        owner_only(NOT_FOUND),
        kwargs=lambda w: {"pk": own_application(w).pk},
        why="a draft has no place: 404 even for its owner; others 404 too",
    ),
    "manage:sessions": Case(team_only(), kwargs=console_cohort, why="screeners may look"),
    "manage:register": Case(team_only(), kwargs=console_session, why="screeners may look"),
    "manage:rescind": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only; a reason is required",
    ),
    "manage:withdraw": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only; a reason is required",
    ),
    "manage:transfer": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only; a cohort and a reason are required",
    ),
    "manage:waitlist": Case(
        team_only(REDIRECT, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="managers only",
        acts=MANAGERS,
        changes=("applications.application", "applications.applicationevent", "post_office.email"),
    ),
    "manage:bulk_offer": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; nobody chosen → the queue again with a message, as a 400",
    ),
    "manage:bulk_change": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; nobody chosen → the queue again with a message, as a 400",
    ),
    "manage:queue_export": Case(
        team_only(),
        kwargs=console_cohort,
        why="screeners and managers: the queue as CSV (the default) or XLSX",
    ),
    "manage:waiting_list_export": Case(
        team_only(), kwargs=console_cohort, why="screeners and managers: as the page shows it"
    ),
    "manage:attendance_export": Case(
        team_only(), kwargs=console_cohort, why="screeners and managers: as the page shows it"
    ),
    "manage:application_note": Case(
        team_only(400, 400),
        method="post",
        kwargs=lambda w: {"pk": console_application(w).pk},
        why="screeners and managers add notes; an empty note re-displays with an error",
    ),
    "manage:assign": Case(
        team_only(REDIRECT, REDIRECT),
        method="post",
        kwargs=assigned_application,
        why="screeners and managers; an empty choice is 'nobody', so it unassigns",
        acts=("screener", "staff", "admin"),
        changes=("applications.application", "auditlog.logentry"),
    ),
    "manage:capacity": Case(
        team_only(400, FORBIDDEN), method="post", kwargs=console_cohort, why="managers only"
    ),
    # --- Cohort settings: managers and site administrators; screeners get the 403 page.
    # Each page's GET, role by role, is in tests/console/test_cohort_forms.py.
    "manage:cohort_create": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=lambda w: {"pk": w.programme.pk},
        why="managers only; an empty form re-displays with errors",
    ),
    "manage:cohort_edit": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; an empty form re-displays with errors",
    ),
    "manage:cohort_copy": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; an empty form re-displays with errors",
    ),
    "manage:cohort_cancel": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; without a reason nothing is cancelled",
    ),
    # --- Console invitations: the programme's managers and site administrators only.
    "manage:invite": Case(
        team_only(OK, FORBIDDEN),
        kwargs=console_cohort,
        why="world.programme is selective: the page only says invitations are not for it",
    ),
    "manage:invite_import": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_cohort,
        why="managers only; POST is refused (400) for a programme that is not by invitation",
    ),
    "manage:invite_template": Case(
        team_only(OK, FORBIDDEN), kwargs=console_cohort, why="the CSV layout for imports"
    ),
    # --- Console eligibility rules: managers change them; screeners may look at the list.
    "manage:rules": Case(team_only(), kwargs=console_programme, why="screeners may look"),
    "manage:rule_create": Case(
        team_only(OK, FORBIDDEN), kwargs=console_programme, why="managers only: choose a kind"
    ),
    "manage:rule_edit": Case(team_only(OK, FORBIDDEN), kwargs=console_rule, why="managers only"),
    "manage:rule_move": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_rule,
        why="managers only; no position given → the rules page again with the error, as a 400",
    ),
    "manage:rule_retire": Case(
        team_only(REDIRECT, FORBIDDEN),
        method="post",
        kwargs=console_rule,
        why="managers only; retires the rule (no version bump), recorded in the audit log",
        acts=MANAGERS,
        changes=("applications.eligibilityrule", "auditlog.logentry"),
    ),
    "manage:invite_import_preview": Case(
        team_only(OK, FORBIDDEN),
        kwargs=console_invitation_import,
        why="an import's preview, progress and report; managers only",
    ),
    "manage:invite_import_confirm": Case(
        team_only(409, FORBIDDEN),
        method="post",
        kwargs=console_invitation_import,
        why="managers only; world.programme is selective, so confirming is refused (409)",
    ),
    "manage:invite_import_discard": Case(
        team_only(REDIRECT, FORBIDDEN),
        method="post",
        kwargs=console_invitation_import,
        why="managers only; a preview can be discarded whatever the admission mode",
        acts=MANAGERS,
        changes=("applications.invitationimport",),
    ),
    # --- Console programmes and teams: the team may look; managers change; only site
    # administrators create programmes (every other signed-in person gets the console's
    # 403 page there: there is no programme to hide, so nothing is learnt from it).
    "manage:programmes": Case(
        signed_in(OK), why="anyone signed in; people in no team see an empty list"
    ),
    "manage:programme": Case(team_only(), kwargs=console_programme, why="screeners may look"),
    "manage:programme_preview": Case(
        team_only(), kwargs=console_programme, why="the public page, published or not"
    ),
    "manage:programme_edit": Case(
        team_only(OK, FORBIDDEN), kwargs=console_programme, why="managers only"
    ),
    "manage:programme_publish": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=console_programme,
        why="managers only; an empty form re-displays the programme page as a 400",
    ),
    "manage:programme_create": Case(
        {**signed_in(FORBIDDEN), "admin": OK}, why="site administrators only"
    ),
    "manage:team": Case(team_only(), kwargs=console_programme, why="screeners may look"),
    "manage:team_role": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=screener_membership,
        why="managers only; an empty form re-displays the team as a 400",
    ),
    "manage:team_reports": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=screener_membership,
        why="managers only; a form without a choice re-displays the team as a 400",
    ),
    "manage:team_remove": Case(
        team_only(REDIRECT, FORBIDDEN),
        method="post",
        kwargs=screener_membership,
        why="managers only; the GET page asks first, the POST removes the screener and "
        "signs them out everywhere",
        acts=MANAGERS,
        changes=("accounts.user", "auditlog.logentry", "programmes.programmeteammember"),
    ),
    # --- Reports (/reports/): programme team members with the reporting permission
    # (managers by default, not screeners), the programme's provider staff and site
    # administrators; 403 for anyone who may see no report at all. Funders have their
    # own table: tests/authz/test_funder_reports.py.
    "reports:programmes": Case(reports_only()),
    "reports:programme": Case(reports_only(), kwargs=report_programme),
    "reports:programme_csv": Case(reports_only(), kwargs=report_programme_csv),
    "reports:cohort": Case(reports_only(), kwargs=report_cohort),
    "reports:cohort_csv": Case(reports_only(), kwargs=report_cohort_csv),
    # --- Provider area (/provider/): the provider's own staff; 403 for everyone else,
    # site administrators included (they use the Django admin). The API is token only:
    # a session is never enough, so every role gets 401.
    "provider:home": Case(provider_only()),
    "provider:cohort": Case(provider_only(), kwargs=console_cohort),
    "provider:cohort_export": Case(
        provider_only(400),
        method="post",
        kwargs=console_cohort,
        why="POST only; no format chosen → 400",
    ),
    "provider:programme_export": Case(
        provider_only(400),
        method="post",
        kwargs=lambda w: {"slug": w.programme.slug},
        why="POST only; no format chosen → 400",
    ),
    "provider:export_job": Case(provider_only(), kwargs=provider_export_job),
    "provider:export_status": Case(provider_only(), kwargs=provider_export_job),
    "provider:export_download": Case(provider_only(), kwargs=provider_export_job),
    "provider:tokens": Case(provider_only()),
    "provider:token_revoke": Case(
        provider_only(REDIRECT),
        method="post",
        kwargs=provider_token,
        why="POST only; the revocation is in the audit log",
        acts=("provider",),
        changes=("auditlog.logentry", "providers.providerapitoken"),
    ),
    "api:v1-cohort-enrolments": Case(
        everyone(401), kwargs=console_cohort, why="provider token only; sessions never count"
    ),
    "api:v1-enrolments": Case(everyone(401), why="provider token only; sessions never count"),
    # --- Data rights (/account/privacy/): always the signed-in person's own data.
    "privacy:index": Case(signed_in(OK), why="the signed-in person's own downloads only"),
    "privacy:export_request": Case(
        signed_in(400),
        method="post",
        why="everyone may ask for their own data; without the password: an error, nothing queued",
    ),
    "privacy:export_detail": Case(owner_only(), kwargs=own_data_export),
    "privacy:export_download": Case(
        owner_only(), kwargs=own_data_export, why="the owner only: site administrators get 404 too"
    ),
    "privacy:delete": Case(
        {**signed_in(FORBIDDEN), "applicant": 400},
        method="post",
        why="accounts with a role are refused (the page says to ask an administrator); "
        "an applicant without the password gets an error and nothing changes",
    ),
    # --- The resource library (/resources/): public lists; a participants-only file opens
    # for the programme's participants and team only (nobody in the world is a participant:
    # tests/authz/test_network_access.py covers them).
    "resources:list": Case(everyone(OK), why="public library; participants-only ones tagged"),
    "resources:feed": Case(everyone(OK), why="Atom feed of open resources only"),
    "resources:detail": Case(
        everyone(OK),
        kwargs=participants_resource,
        why="the page is public; it explains who may open a participants-only resource",
    ),
    "resources:file": Case(
        {
            **everyone(FORBIDDEN),
            "anonymous": REDIRECT,
            "screener": OK,
            "staff": OK,
            "admin": OK,
        },
        kwargs=participants_resource,
        why="participants-only file: the programme's team may open it, others are told why",
    ),
    "manage:resources": Case(team_only(), kwargs=console_programme, why="screeners may look"),
    "manage:resource_add": Case(
        team_only(OK, FORBIDDEN), kwargs=console_programme, why="managers only"
    ),
    "manage:resource_edit": Case(
        team_only(OK, FORBIDDEN), kwargs=participants_resource, why="managers only"
    ),
    "manage:resource_status": Case(
        team_only(400, FORBIDDEN),
        method="post",
        kwargs=participants_resource,
        why="managers only; no action chosen → 400, nothing changed",
    ),
    "manage:network": Case(
        team_only(OK, FORBIDDEN),
        kwargs=console_programme,
        why="managers see only the names of who joined the peer network",
    ),
    # --- The peer network (/account/network/): participants of the programme only. Nobody
    # in the world is one, so every signed-in role gets 404 (see test_network_access.py).
    "network:index": Case(signed_in(OK), why="lists only the person's own programmes"),
    "network:programme": Case(
        signed_in(NOT_FOUND),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="participants only; the team sees names in the console instead",
    ),
    "network:profile": Case(
        signed_in(NOT_FOUND),
        kwargs=lambda world: {"slug": world.programme.slug},
        why="participants only",
    ),
    "network:leave": Case(
        signed_in(NOT_FOUND),
        method="post",
        kwargs=lambda world: {"slug": world.programme.slug},
        why="only someone with a profile can leave; nobody in the world has one",
    ),
    "privacy:deleted": Case(everyone(OK), why="shown after sign-out; names nobody"),
    # --- Equality questions (/account/equality/): everyone with an account has their own,
    # roles included; no URL takes an id, so nobody can reach anyone else's answers.
    "equality:questionnaire": Case(
        signed_in(OK), why="always the signed-in person's own answers; staff answer for themselves"
    ),
    "equality:saved": Case(signed_in(OK), why="the thank-you page after saving; names nobody"),
    "equality:delete": Case(
        signed_in(OK), why="asks first; the POST deletes only the signed-in person's own answers"
    ),
}

# The Django admin is for site administrators only. Every admin URL is covered
# by this rule; the sample below is requested for real.
ADMIN_NAMESPACE = "admin"
ADMIN_SAMPLE: dict[str, Case] = {
    "admin:index": Case(only_admin()),
    "admin:accounts_user_changelist": Case(only_admin()),
    "admin:reports_referencefigure_changelist": Case(only_admin()),
    "admin:programmes_programme_changelist": Case(only_admin()),
    "admin:programmes_cohort_changelist": Case(only_admin()),
    "admin:programmes_provider_changelist": Case(only_admin()),
    "admin:post_office_email_changelist": Case(only_admin()),
    "admin:providers_exportrecord_changelist": Case(only_admin()),
    "admin:resources_resource_changelist": Case(only_admin()),
    "admin:network_networkprofile_changelist": Case(only_admin()),
    "admin:login": Case({**everyone(OK), "admin": REDIRECT}, why="the admin's own sign-in page"),
}
