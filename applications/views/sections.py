"""One page per task-list section. Each saves a draft; nothing typed is lost on an error."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import verified_email_required
from accounts.models import User
from accounts.selectors import senior_years_of

from ..eligibility import declaration_questions, evaluate, facts_for_application
from ..errors import ApplicationError
from ..forms import ConfirmForm, DeclarationsForm, DocumentForm, EndorsementForm, StatementForm
from ..models import Application, ApplicationState
from ..sections import (
    BY_KEY,
    CAREER_EMPTY,
    STATEMENT_WORD_LIMIT,
    SectionFacts,
    section_problem,
    sections_asked,
)
from ..selectors import application_for_applicant, section_facts_for
from ..services.documents import DocumentRefused, document_add, document_delete
from ..services.drafts import application_section_save

SAVED = _("Section saved.")


def _rules(application: Application) -> list[Any]:
    return list(application.cohort.programme.eligibility_rules.filter(is_active=True))


@verified_email_required
@require_http_methods(["GET", "POST"])
def application_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in BY_KEY:
        raise Http404
    application = application_for_applicant(user=cast(User, request.user), pk=pk)
    if application.state != ApplicationState.DRAFT:
        messages.info(request, _("A submitted application cannot be changed."))
        return redirect("applications:detail", pk=pk)
    rules = _rules(application)
    facts = section_facts_for(application, rules=rules)
    if section not in {asked.key for asked in sections_asked(facts)}:
        raise Http404  # this programme does not ask for it (a first-come statement)

    form, values, extra = _section_form(request, application, section, rules, facts)
    if request.method == "POST" and form.is_valid():
        try:
            application_section_save(application=application, section=section, values=values(form))
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("applications:detail", pk=pk)
        messages.success(request, SAVED)
        return redirect("applications:detail", pk=pk)
    return render(
        request,
        f"applications/section_{section}.html",
        {"application": application, "section": BY_KEY[section], "form": form, **extra},
    )


def _section_form(
    request: HttpRequest,
    application: Application,
    section: str,
    rules: list[Any],
    facts: SectionFacts,
) -> Any:
    data = request.POST if request.method == "POST" else None
    user = application.applicant
    if section == "personal":
        form: forms.Form = ConfirmForm(data)
        problem = section_problem(section, application, facts)
        if data is not None and problem:
            form.add_error(None, problem)
        return form, lambda f: {}, {"profile": getattr(user, "profile", None)}
    if section == "career":
        entries = list(user.career_entries.all())
        form = ConfirmForm(data)
        if data is not None and not entries:
            form.add_error(None, CAREER_EMPTY)
        years = senior_years_of(entries, today=timezone.localdate())
        return form, lambda f: {}, {"entries": entries, "senior_years": years}
    if section == "eligibility":
        questions = declaration_questions(rules)
        form = DeclarationsForm(
            data,
            questions=questions,
            initial=DeclarationsForm.initial_from(application.declarations),
        )
        verdict = evaluate(
            rules=rules,
            facts=facts_for_application(application, today=timezone.localdate()),
        )
        return (
            form,
            lambda f: {"declarations": f.declarations()},
            {"results": verdict.as_json(), "has_rules": bool(rules)},
        )
    if section == "statement":
        form = StatementForm(
            data, initial={"supporting_statement": application.supporting_statement}
        )
        return (
            form,
            lambda f: {"supporting_statement": f.cleaned_data["supporting_statement"]},
            {"word_limit": STATEMENT_WORD_LIMIT},
        )
    if section == "documents":
        form = ConfirmForm(data)
        missing = sorted(facts.required_documents - facts.document_kinds)
        if data is not None and missing:
            form.add_error(None, section_problem(section, application, facts))
        return (
            form,
            lambda f: {},
            {
                "documents": application.documents.all(),
                "upload_form": DocumentForm(),
                "missing_kinds": missing,
            },
        )
    form = EndorsementForm(
        data,
        applicant_email=user.email,
        initial={
            "endorser_name": application.endorser_name,
            "endorser_role": application.endorser_role,
            "endorser_email": application.endorser_email,
        },
    )
    return form, lambda f: dict(f.cleaned_data), {}


@verified_email_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(user=cast(User, request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_add(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DocumentRefused as error:
            form.add_error("file", str(error))
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("applications:detail", pk=pk)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("applications:section", pk=pk, section="documents")
    return render(
        request,
        "applications/section_documents.html",
        {
            "application": application,
            "section": BY_KEY["documents"],
            "form": ConfirmForm(),
            "upload_form": form,
            "documents": application.documents.all(),
            "missing_kinds": [],
        },
        status=400,
    )


@verified_email_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    application = application_for_applicant(user=cast(User, request.user), pk=pk)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    try:
        document_delete(document=document)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("Document deleted."))
    return redirect("applications:section", pk=pk, section="documents")
