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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import verified_email_required
from accounts.models import User
from programmes.models import Cohort

from ..downloads import document_file_response
from ..eligibility import declaration_questions, evaluate, facts_for_application
from ..errors import AlreadySubmitted, ApplicationError
from ..forms import WithdrawForm
from ..lifecycle import WITHDRAWABLE
from ..models import ApplicationState
from ..sections import SECTIONS
from ..selectors import (
    application_for_applicant,
    applications_for_applicant,
    current_application,
)
from ..services.drafts import (
    application_draft_delete,
    application_start,
    cohort_is_open,
    sections_missing,
)
from ..services.places import offer_has_lapsed, waitlist_position
from ..services.submission import application_submit
from ..services.withdrawal import application_withdraw
from ..user_text import NEXT_STEPS

# A request the application's state does not allow (a stale tab, a replay).
CONFLICT = 409


def _user(request: HttpRequest) -> User:
    """The signed-in user; every view here is behind verified_email_required."""
    return cast(User, request.user)


@verified_email_required
def application_list(request: HttpRequest) -> HttpResponse:
    applications = applications_for_applicant(user=_user(request))
    return render(
        request,
        "applications/application_list.html",
        {"applications": applications, "next_steps": NEXT_STEPS},
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
        done = set(application.sections_done)
        return render(
            request,
            "applications/task_list.html",
            {
                "application": application,
                "sections": [(section, section.key in done) for section in SECTIONS],
                "done_count": len(done),
                "total": len(SECTIONS),
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
    return render(
        request,
        "applications/check_answers.html",
        {
            "application": application,
            "missing": sections_missing(application),
            "sections": SECTIONS,
            "verdict": verdict,
            "results": verdict.as_json(),
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
    application = application_for_applicant(user=_user(request), pk=pk)
    try:
        application_submit(application=application, by=_user(request))
    except AlreadySubmitted:
        messages.info(request, _("Your application was already submitted."))
        return redirect("applications:detail", pk=pk)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:check", pk=pk)
    messages.success(request, _("Application submitted. We have emailed you a confirmation."))
    return redirect("applications:detail", pk=pk)


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
