"""A programme's eligibility rules: the list, adding and editing one (kind first, then its
fields, with a preview), moving and retiring. Managers change them; screeners may look
at the list; everyone else gets a 404.

Applications keep the outcome and the rule versions they were screened against: no
change here re-screens anyone. Every write is a service in
applications/eligibility/services.py, which locks, re-checks and records the actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.eligibility.preview import RulePreview, rule_preview
from applications.eligibility.selectors import ScreenedCounts, rules_screened_counts
from applications.eligibility.services import (
    RuleChanged,
    RuleNotMovable,
    rule_bring_back,
    rule_clean,
    rule_move,
    rule_retire,
    rule_save,
)
from applications.forms import DeclarationsForm
from applications.models import EligibilityRule, RuleKind
from programmes.models import Programme

from ..forms.rules import KEY_SUGGESTED, RuleForm, RuleKindForm, RuleMoveForm, RuleRetireForm
from ..history import history_of_rules
from ..selectors import console_programme, console_rule, programme_rules
from .access import forbidden, is_manager, user_of

RULES_MANAGERS_ONLY = gettext_lazy(
    "Only the programme's managers can change its eligibility rules. Screeners can see them."
)
ACTION_PREVIEW = "preview"
RULE_ADDED = gettext_lazy("Rule added. New applications are checked against it.")
RULE_SAVED_NEW_VERSION = gettext_lazy(
    "Rule saved as version %(version)s. New applications are checked against it."
)
RULE_SAVED_SAME_VERSION = gettext_lazy(
    "Rule saved. What it says has not changed, so it is still version %(version)s."
)
RULE_MOVED = gettext_lazy("Rule moved. New applications are checked in the new order.")
RULE_ALREADY_THERE = gettext_lazy("The rule was already at that position.")
RULE_RETIRED = gettext_lazy(
    "Rule retired. New applications are not checked against it; applications already "
    "screened keep their outcome."
)
RULE_ALREADY_RETIRED = gettext_lazy("The rule was already retired.")
RULE_BROUGHT_BACK = gettext_lazy("Rule back in use. New applications are checked against it.")
RULE_ALREADY_IN_USE = gettext_lazy("The rule was already in use.")


@dataclass(frozen=True)
class RuleRow:
    rule: EligibilityRule
    screened: ScreenedCounts


def _rules_url(programme_id: int, rule_id: int | None = None) -> str:
    url = reverse("manage:rules", args=[programme_id])
    return f"{url}#rule-{rule_id}" if rule_id else url


def _render_rules(
    request: HttpRequest,
    programme: Programme,
    *,
    error: str = "",
    error_rule: int | None = None,
    status: int = 200,
) -> HttpResponse:
    rules = programme_rules(programme=programme)
    counts = rules_screened_counts(programme=programme, rules=rules)
    rows = [RuleRow(rule, counts.get(rule.pk, ScreenedCounts())) for rule in rules]
    return render(
        request,
        "console/rules.html",
        {
            "programme": programme,
            "in_use": [row for row in rows if row.rule.is_active],
            "retired": [row for row in rows if not row.rule.is_active],
            "can_manage": is_manager(request, programme),
            "history": history_of_rules(programme=programme),
            "error": error,
            "error_rule": error_rule,
        },
        status=status,
    )


@login_required
@require_GET
def rules(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk, details=False)
    return _render_rules(request, programme)


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = console_programme(user=user_of(request), pk=pk, details=False)
    if not is_manager(request, programme):
        return forbidden(request, RULES_MANAGERS_ONLY)
    return _rule_page(request, programme=programme, rule=None)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = console_rule(user=user_of(request), pk=pk)
    if not is_manager(request, rule.programme):
        return forbidden(request, RULES_MANAGERS_ONLY)
    return _rule_page(request, programme=rule.programme, rule=rule)


def _chosen_kind(request: HttpRequest, rule: EligibilityRule | None) -> str | None:
    if request.method == "POST":
        kind = request.POST.get("kind")
    elif "kind" in request.GET:
        kind = request.GET["kind"]
    elif rule is not None and "choose" not in request.GET:
        kind = rule.kind
    else:
        kind = None
    return kind if kind in RuleKind.values else None


def _rule_page(
    request: HttpRequest, *, programme: Programme, rule: EligibilityRule | None
) -> HttpResponse:
    kind = _chosen_kind(request, rule)
    if kind is None:
        return _render_kind_choice(request, programme=programme, rule=rule)
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        programme=programme,
        rule=rule,
    )
    status, preview, current, suggested_key = 200, None, None, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            candidate = form.candidate()
            if request.POST.get("action") == ACTION_PREVIEW:
                try:
                    candidate.params = rule_clean(rule=candidate)
                except ValidationError as error:
                    form.add_rule_errors(error)
                else:
                    preview = rule_preview(rule=candidate, today=timezone.localdate())
                    status = 200
                    if form.suggested_key:
                        # Shown in the key box, so what is previewed is what is saved.
                        suggested_key = form.suggested_key
                        data = request.POST.copy()
                        data["key"] = suggested_key
                        form = RuleForm(data, kind=kind, programme=programme, rule=rule)
                        form.is_valid()
            else:
                try:
                    saved = rule_save(
                        rule=candidate,
                        by=user_of(request),
                        expected_version=form.cleaned_data["version"] if rule else None,
                        keep_order_and_use=True,
                    )
                except ValidationError as error:
                    form.add_rule_errors(error)
                except RuleChanged as error:
                    status, current = 409, error.rule
                    # The page now shows the version saved since, so saving again is a
                    # choice made knowing about it, not a replay of the old page.
                    data = request.POST.copy()
                    data["version"] = str(error.rule.version)
                    form = RuleForm(data, kind=kind, programme=programme, rule=rule)
                    form.is_valid()
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _saved_message(saved, rule))
                    return redirect(_rules_url(programme.pk, saved.pk))
    return _render_rule_form(
        request,
        programme=programme,
        rule=rule,
        form=form,
        preview=preview,
        current=current,
        suggested_key=suggested_key,
        status=status,
    )


def _saved_message(saved: EligibilityRule, before: EligibilityRule | None) -> str:
    if before is None:
        return str(RULE_ADDED)
    if saved.version != before.version:
        return RULE_SAVED_NEW_VERSION % {"version": saved.version}
    return RULE_SAVED_SAME_VERSION % {"version": saved.version}


def _render_kind_choice(
    request: HttpRequest, *, programme: Programme, rule: EligibilityRule | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    submitted = request.method == "POST" or "kind" in request.GET
    chooser = RuleKindForm(
        data if submitted else None, initial={"kind": rule.kind if rule else None}
    )
    if submitted:
        chooser.is_valid()  # it is not: a kind we know would have shown the next step
    return render(
        request,
        "console/rule_kind.html",
        {"programme": programme, "rule": rule, "form": chooser},
        status=400 if submitted else 200,
    )


def _render_rule_form(
    request: HttpRequest,
    *,
    programme: Programme,
    rule: EligibilityRule | None,
    form: RuleForm,
    preview: RulePreview | None,
    current: EligibilityRule | None,
    suggested_key: str,
    status: int,
) -> HttpResponse:
    screened = ScreenedCounts()
    if rule is not None:
        screened = rules_screened_counts(programme=programme, rules=[rule]).get(
            rule.pk, ScreenedCounts()
        )
    question_form = None
    if preview is not None and preview.question is not None:
        question_form = DeclarationsForm(questions=[preview.question], prefix="preview")
    return render(
        request,
        "console/rule_form.html",
        {
            "programme": programme,
            "rule": rule,
            "form": form,
            "kind_label": RuleKind(form.rule_kind).label,
            "preview": preview,
            "question_form": question_form,
            "suggested_key": KEY_SUGGESTED % {"key": suggested_key} if suggested_key else "",
            "current": current,
            "screened": screened,
            "screened_notice": _screened_notice(rule, screened),
            "action_preview": ACTION_PREVIEW,
        },
        status=status,
    )


def _screened_notice(rule: EligibilityRule | None, screened: ScreenedCounts) -> str:
    if rule is None or not screened.current:
        return ""
    return ngettext(
        "%(count)s application was screened against version %(version)s; it keeps that "
        "outcome. New applications will be screened against the new version.",
        "%(count)s applications were screened against version %(version)s; they keep that "
        "outcome. New applications will be screened against the new version.",
        screened.current,
    ) % {"count": screened.current, "version": rule.version}


@login_required
@require_POST
def rule_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    rule = console_rule(user=user_of(request), pk=pk)
    programme = rule.programme
    if not is_manager(request, programme):
        return forbidden(request, RULES_MANAGERS_ONLY)
    form = RuleMoveForm(request.POST)
    if not form.is_valid():
        return _render_rules(
            request,
            programme,
            error=str(form.errors["position"][0]),
            error_rule=rule.pk,
            status=400,
        )
    try:
        moved = rule_move(rule=rule, position=form.cleaned_data["position"], by=user_of(request))
    except RuleNotMovable as error:
        return _render_rules(request, programme, error=str(error), error_rule=rule.pk, status=409)
    if moved:
        messages.success(request, RULE_MOVED)
    else:
        messages.info(request, RULE_ALREADY_THERE)
    return redirect(_rules_url(programme.pk, rule.pk))


@login_required
@require_POST
def rule_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    rule = console_rule(user=user_of(request), pk=pk)
    programme = rule.programme
    if not is_manager(request, programme):
        return forbidden(request, RULES_MANAGERS_ONLY)
    form = RuleRetireForm(request.POST)
    form.is_valid()  # one optional yes/no: nothing to get wrong
    if form.cleaned_data.get("bring_back"):
        if rule_bring_back(rule=rule, by=user_of(request)):
            messages.success(request, RULE_BROUGHT_BACK)
        else:
            messages.info(request, RULE_ALREADY_IN_USE)
    elif rule_retire(rule=rule, by=user_of(request)):
        messages.success(request, RULE_RETIRED)
    else:
        messages.info(request, RULE_ALREADY_RETIRED)
    return redirect(_rules_url(programme.pk, rule.pk))
