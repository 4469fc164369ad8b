"""The applicant's applications: list, start, task list, check answers, submit, withdraw,
and downloading a document they uploaded.

Every view needs a signed-in user with a verified email address, and reaches
applications only through selectors that filter by that user.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import verified_email_required
from accounts.models import User
from programmes.models import AdmissionMode, Cohort

from .. import user_text
from ..downloads import document_file_response
from ..eligibility import RuleOutcome, declaration_questions, evaluate, facts_for_application
from ..errors import AlreadySubmitted, ApplicationError
from ..forms import WithdrawForm
from ..lifecycle import WITHDRAWABLE
from ..models import Application, ApplicationState, RuleKind
from ..sections import section_statuses
from ..selectors import (
    applicant_dashboard,
    application_for_applicant,
    current_application,
    section_facts_for,
)
from ..services.drafts import (
    application_draft_delete,
    application_start,
    cohort_is_open,
)
from ..services.places import offer_has_lapsed, waitlist_position
from ..services.submission import application_submit
from ..services.withdrawal import application_withdraw
from ..user_text import NEXT_STEPS

# A request the application's state does not allow (a stale tab, a replay).
CONFLICT = 409

# Where the applicant changes what a rule looked at, for the "not met" warning.
SECTION_FOR_RULE = {
    RuleKind.MIN_SENIOR_YEARS: "career",
    RuleKind.CURRENT_ROLE: "personal",
    RuleKind.NATION: "personal",
    RuleKind.EMPLOYER_TYPE: "personal",
    RuleKind.SELF_DECLARATION: "eligibility",
    RuleKind.REQUIRED_DOCUMENT: "documents",
    RuleKind.ENDORSEMENT: "endorsement",
}


def _user(request: HttpRequest) -> User:
    """The signed-in user; every view here is behind verified_email_required."""
    return cast(User, request.user)


@verified_email_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applicant's dashboard, where signing in lands: offers, waiting lists, the rest."""
    return render(
        request,
        "applications/application_list.html",
        {"dashboard": applicant_dashboard(user=_user(request))},
    )


@verified_email_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme").filter(programme__is_published=True),
        pk=cohort_id,
    )
    existing = current_application(cohort=cohort, user=_user(request))
    if existing is not None:
        return redirect("applications:detail", pk=existing.pk)
    if request.method == "POST":
        try:
            application, _created = application_start(cohort=cohort, applicant=_user(request))
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect(cohort.programme.get_absolute_url())
        return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/application_new.html",
        {
            "cohort": cohort,
            "is_open": cohort_is_open(cohort),
            "applied_before": cohort.applications.filter(applicant=_user(request)).exists(),
        },
    )


@verified_email_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    if application.state == ApplicationState.DRAFT:
        statuses = section_statuses(application, section_facts_for(application))
        return render(
            request,
            "applications/task_list.html",
            {
                "application": application,
                "statuses": statuses,
                "done_count": sum(status.done for status in statuses),
                "total": len(statuses),
            },
        )
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "next_step": NEXT_STEPS.get(ApplicationState(application.state), ""),
            "can_withdraw": application.state in WITHDRAWABLE,
            "position": waitlist_position(application),
            "offer_lapsed": offer_has_lapsed(application),
            "history": [
                (event, user_text.HISTORY_REASONS.get(event.reason, event.reason))
                for event in application.events.all()
            ],
        },
    )


def refused(request: HttpRequest, pk: int, error: ApplicationError) -> HttpResponse:
    """The application page again, with the reason, as a 409: nothing was changed."""
    messages.error(request, str(error))
    response = application_detail(request, pk)
    response.status_code = CONFLICT
    return response


@verified_email_required
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    if application.state != ApplicationState.DRAFT:
        return redirect("applications:detail", pk=pk)
    rules = list(application.cohort.programme.eligibility_rules.filter(is_active=True))
    verdict = evaluate(
        rules=rules, facts=facts_for_application(application, today=timezone.localdate())
    )
    questions = {q.key: q.statement for q in declaration_questions(rules)}
    statuses = section_statuses(application, section_facts_for(application, rules=rules))
    results = verdict.as_json()
    return render(
        request,
        "applications/check_answers.html",
        {
            "application": application,
            "missing": [status for status in statuses if not status.done],
            "asked": {status.section.key for status in statuses},
            "verdict": verdict,
            "results": results,
            "not_met": [
                {**result, "section": SECTION_FOR_RULE.get(result["kind"], "eligibility")}
                for result in results
                if result["outcome"] == RuleOutcome.FAIL
            ],
            "first_come": application.cohort.programme.admission_mode == AdmissionMode.FIRST_COME,
            "declarations": [
                (questions.get(key, key), answer)
                for key, answer in application.declarations.items()
            ],
            "profile": getattr(_user(request), "profile", None),
            "career": _user(request).career_entries.all(),
        },
    )


@verified_email_required
@require_POST
def application_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        # The service reads the application itself, and only if it is this person's.
        application_submit(application=Application(pk=pk), by=_user(request))
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    except AlreadySubmitted:
        messages.info(request, _("Your application was already submitted."))
        return redirect("applications:detail", pk=pk)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:check", pk=pk)
    return redirect("applications:submitted", pk=pk)


@verified_email_required
@require_http_methods(["GET"])
def application_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: the reference, what happens next, and when."""
    application = application_for_applicant(user=_user(request), pk=pk)
    if application.state == ApplicationState.DRAFT or not application.reference:
        return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/submitted.html",
        {
            "application": application,
            "next_step": NEXT_STEPS.get(ApplicationState(application.state), ""),
            "when": _when(application),
            "emailed": user_text.CONFIRMATION_EMAILED % {"email": application.applicant.email},
        },
    )


def _when(application: Application) -> str:
    """When the next step happens, in words, for the state submission left it in."""
    cohort = application.cohort
    state = application.state
    if state == ApplicationState.ENROLLED:
        return user_text.BOOKED_STARTS % {"starts": date_format(cohort.starts_on, "j F Y")}
    if state == ApplicationState.WAITLISTED:
        position = waitlist_position(application)
        return user_text.WAITING_POSITION % {"position": position} if position else ""
    if state in (ApplicationState.ELIGIBLE, ApplicationState.NEEDS_REVIEW) and (
        cohort.programme.admission_mode == AdmissionMode.SELECTIVE
    ):
        if cohort.applications_close_at is not None:
            closes = date_format(timezone.localtime(cohort.applications_close_at), "j F Y")
            return user_text.DECISION_AFTER_CLOSE % {"closes": closes}
        return str(user_text.DECISION_BY_EMAIL)
    return ""


@verified_email_required
@require_http_methods(["GET", "POST"])
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application,
                by=_user(request),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            return refused(request, pk, error)
        messages.success(request, _("Your application has been withdrawn."))
        return redirect("applications:detail", pk=pk)
    if application.state == ApplicationState.DRAFT:
        return redirect("applications:draft_delete", pk=pk)
    if application.state not in WITHDRAWABLE:
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect("applications:detail", pk=pk)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@verified_email_required
@require_http_methods(["GET", "POST"])
def application_draft_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft after a confirmation page. Submitted applications are withdrawn instead."""
    application = application_for_applicant(user=_user(request), pk=pk)
    if application.state != ApplicationState.DRAFT:
        return redirect("applications:detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            application_draft_delete(application=application)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("applications:detail", pk=pk)
        messages.success(request, _("Your draft application has been deleted."))
        return redirect("applications:list")
    return render(request, "applications/draft_delete.html", {"application": application})


@verified_email_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    application = application_for_applicant(user=_user(request), pk=pk)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document_file_response(document)
