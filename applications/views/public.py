"""The public "Am I eligible?" page: the screening engine on answers typed in.

Nothing is stored. Answers arrive by POST, not in a query string, because
some (identifying as a Black or Asian leader, say) are personal and would
otherwise sit in server logs and browser history. The page writes no rows and
touches no session; the CSRF token lives in its cookie (CSRF_USE_SESSIONS is off).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from programmes.models import Programme

from ..eligibility import evaluate, facts_from_answers
from ..eligibility.forms import EligibilityCheckForm
from ..eligibility.selectors import ACTIVE_RULES_ATTR, programme_with_rules_public


@require_http_methods(["GET", "POST"])
def eligibility_check(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        programme = programme_with_rules_public(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    rules = getattr(programme, ACTIVE_RULES_ATTR)
    today = timezone.localdate()
    form = EligibilityCheckForm(
        request.POST if request.method == "POST" else None, rules=rules, today=today
    )
    verdict = None
    if form.is_bound and form.is_valid():
        verdict = evaluate(rules=rules, facts=facts_from_answers(form.cleaned_data, today=today))
    return render(
        request,
        "applications/eligibility_check.html",
        {
            "programme": programme,
            "rules": rules,
            "form": form,
            "verdict": verdict,
            "results": verdict.as_json() if verdict else [],
        },
    )
