"""Public catalogue pages. Anyone may read published programmes; nothing else is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.paging import CountingPaginator

from .actions import cohort_action
from .calendar import programme_calendar
from .catalogue_cache import CSRF_PLACEHOLDER, kept, kept_html, with_csrf_token
from .filters import ProgrammeFilter, active_filters, filter_groups, render_filter_groups
from .forms import FutureDatesForm
from .models import Cohort, CohortStatus, FutureDatesSubscription, Programme
from .selectors import (
    SEARCH_MAX_LENGTH,
    future_dates_subscription_from_token,
    programme_detail_public,
    programme_list_public,
    programme_showcase_public,
)
from .services.future_dates import (
    SubscriptionEnded,
    future_dates_confirm,
    future_dates_subscribe,
    future_dates_unsubscribe,
)
from .structured_data import programme_json_ld
from .tokens import BadToken

PAGE_SIZE = 20
# Programmes shown on the home page, the soonest to start first, as in the directory.
HOME_CARDS = 6

SEARCH_SHORTENED = _("Your search was very long, so we used only its first %(n)s characters.")
CHECK_YOUR_EMAIL = _(
    "Check your email. If you are not already signed up, we have sent you a link to confirm "
    "that you want to hear about new dates."
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The home page's cards say whether a programme has a place, not how many: a booking
    # that leaves places either side of full does not make it again.
    home = kept_html(request, "home", _home, shows_places=False)
    return render(request, "programmes/home.html", {"home": home})


def _home() -> SafeString:
    showcase = programme_showcase_public(limit=HOME_CARDS)
    context = {"programmes": showcase.programmes, "programme_count": showcase.total}
    return SafeString(render_to_string("programmes/_home.html", context))


def _shorten_search(params: QueryDict) -> tuple[QueryDict, bool]:
    query = params.get("q", "")
    if len(query) <= SEARCH_MAX_LENGTH:
        return params, False
    params = params.copy()
    params["q"] = query[:SEARCH_MAX_LENGTH]
    return params, True


# The page asks for each start-date filter as day, month and year boxes (a browser's date
# picker shows the computer's locale); links and the API keep the one ISO parameter.
DATE_FILTERS = ("starts_from", "starts_to")
DATE_PARTS = ("day", "month", "year")


def _dates_from_boxes(params: QueryDict) -> tuple[QueryDict, dict[str, list[str]]]:
    """Turn starts_from_day/_month/_year into starts_from=YYYY-MM-DD; return the boxes too."""
    boxes: dict[str, list[str]] = {}
    if not any(f"{name}_{part}" in params for name in DATE_FILTERS for part in DATE_PARTS):
        for name in DATE_FILTERS:
            boxes[name] = _boxes_of(params.get(name, ""))
        return params, boxes
    params = params.copy()
    for name in DATE_FILTERS:
        parts = [params.get(f"{name}_{part}", "").strip() for part in DATE_PARTS]
        boxes[name] = parts
        if not any(parts):
            params.pop(name, None)
        elif all(part.isascii() and part.isdigit() for part in parts):
            day, month, year = (int(part) for part in parts)
            params[name] = f"{year:04d}-{month:02d}-{day:02d}"
        else:
            params[name] = "/".join(parts)  # not a date: the filter says so on the page
    return params, boxes


def _boxes_of(value: str) -> list[str]:
    year, _, rest = value.partition("-")
    month, _, day = rest.partition("-")
    return [day.lstrip("0"), month.lstrip("0"), year] if value else ["", "", ""]


@dataclass(frozen=True)
class DirectoryPage:
    body: SafeString
    page_number: int


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    # Cards and filters say whether a programme has a place, not how many (see home).
    directory = kept(request, "directory", lambda: _directory(request), shows_places=False)
    return render(request, "programmes/programme_list.html", {"directory": directory})


def _directory(request: HttpRequest) -> tuple[DirectoryPage, int]:
    params, shortened = _shorten_search(request.GET)
    params, date_boxes = _dates_from_boxes(params)
    # Bound even when empty, so the defaults (sort by next start date) apply.
    filterset = ProgrammeFilter(params, queryset=programme_list_public())
    # An invalid value (an unknown audience, a malformed date) is reported on
    # the page; the valid filters still apply.
    page = CountingPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = active_filters(filterset, params)
    body = render_to_string(
        "programmes/_directory.html",
        {
            "page": page,
            "form": filterset.form,
            "filter_groups_html": render_filter_groups(filter_groups(filterset.form)),
            "active_filters": chosen,
            "search_shortened": SEARCH_SHORTENED % {"n": SEARCH_MAX_LENGTH} if shortened else "",
            "searching": bool(filterset.form.cleaned_data.get("q")),
            "sort_choices": filterset.sort_choices(),
            "current_sort": filterset.current_sort(),
            "date_boxes": [
                (name, filterset.form[name], list(zip(DATE_PARTS, date_boxes[name], strict=True)))
                for name in DATE_FILTERS
            ],
        },
        request=request,
    )
    return DirectoryPage(body=SafeString(body), page_number=page.number), len(body)


def _published_programme(slug: str, *, with_rules: bool = True) -> Programme:
    try:
        return programme_detail_public(slug=slug, with_rules=with_rules)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def _is_past(cohort: Cohort, today: dt.date) -> bool:
    """Finished cohorts, and cancelled ones whose start date has come, are history."""
    status = cohort.status  # type: ignore[attr-defined]
    if status == CohortStatus.FINISHED:
        return True
    return bool(status == CohortStatus.CANCELLED and cohort.starts_on <= today)


@dataclass(frozen=True)
class ProgrammePage:
    title: str
    description: str
    head: SafeString
    body: SafeString

    def with_csrf_token(self, request: HttpRequest) -> ProgrammePage:
        return replace(self, body=with_csrf_token(request, self.body))


def render_programme_page(
    request: HttpRequest,
    programme: Programme,
    *,
    future_dates_form: FutureDatesForm | None = None,
    preview: bool = False,
) -> HttpResponse:
    """The programme page as it is now, never a kept copy. The console's preview renders it
    too (preview=True adds a banner), so the team sees exactly what the public will see."""
    page = _programme_page(request, programme, future_dates_form=future_dates_form, preview=preview)
    return _programme_response(request, page)


def _programme_response(request: HttpRequest, page: ProgrammePage) -> HttpResponse:
    context = {"programme_page": page.with_csrf_token(request)}
    return render(request, "programmes/programme_detail.html", context)


def _programme_page(
    request: HttpRequest,
    programme: Programme,
    *,
    future_dates_form: FutureDatesForm | None = None,
    preview: bool = False,
) -> ProgrammePage:
    cohorts = list(programme.cohorts.all())
    today = timezone.localdate()
    past = [c for c in cohorts if _is_past(c, today)]
    current = [c for c in cohorts if not _is_past(c, today)]
    page_url = request.build_absolute_uri(programme.get_absolute_url())
    context = {
        "programme": programme,
        "current_cohorts": [
            (c, cohort_action(cohort=c, admission_mode=programme.admission_mode)) for c in current
        ],
        "past_cohorts": past,
        # "Tell me about future dates" is for when there is no place to be had now.
        "offer_future_dates": not any(
            c.status == CohortStatus.OPEN  # type: ignore[attr-defined]
            for c in current
        ),
        "future_dates_form": future_dates_form or FutureDatesForm(programme=programme),
        "json_ld": programme_json_ld(programme=programme, cohorts=current, page_url=page_url),
        "preview": preview,
        # Put in per request by ProgrammePage.with_csrf_token, so the body can be kept.
        "csrf_token": CSRF_PLACEHOLDER,
    }
    return ProgrammePage(
        title=programme.title,
        description=programme.summary,
        head=SafeString(render_to_string("programmes/_programme_head.html", context, request)),
        body=SafeString(render_to_string("programmes/_programme_body.html", context, request)),
    )


@require_GET
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def make() -> tuple[ProgrammePage, int]:
        page = _programme_page(request, _published_programme(slug))
        return page, len(page.head) + len(page.body)

    page = kept(request, "programme", make)
    return _programme_response(request, page)


@require_GET
def cohorts_ics(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _published_programme(slug, with_rules=False)
    body = programme_calendar(
        programme=programme,
        cohorts=programme.cohorts.all(),
        page_url=request.build_absolute_uri(programme.get_absolute_url()),
    )
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{programme.slug}-dates.ics"'},
    )


@require_POST
def future_dates_signup(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _published_programme(slug)
    form = FutureDatesForm(request.POST, programme=programme)
    if not form.is_valid():
        return render_programme_page(request, programme, future_dates_form=form)
    future_dates_subscribe(
        programme=programme, email=form.cleaned_data["email"], consent_text=form.consent_text
    )
    # The same message whether or not the address was already signed up, so
    # the form cannot be used to find out who is on the list.
    messages.success(request, CHECK_YOUR_EMAIL)
    return HttpResponseRedirect(programme.get_absolute_url() + "#future-dates")


def _subscription_or_bad_link(
    request: HttpRequest, slug: str, token: str, *, purpose: str
) -> FutureDatesSubscription | HttpResponse:
    try:
        return future_dates_subscription_from_token(slug=slug, token=token, purpose=purpose)
    except (BadToken, FutureDatesSubscription.DoesNotExist):
        return render(
            request,
            "programmes/future_dates_bad_link.html",
            {"programme_slug": slug, "purpose": purpose},
            status=400,
        )


@require_http_methods(["GET", "POST"])
def future_dates_confirm_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows a button, POST confirms.

    Confirming on GET would be idempotent, but mail scanners open every link in
    a message: a button means only a person can put an address on the list.
    """
    found = _subscription_or_bad_link(request, slug, token, purpose="confirm")
    if isinstance(found, HttpResponse):
        return found
    context: dict[str, Any] = {"subscription": found, "programme": found.programme}
    if request.method == "POST":
        try:
            future_dates_confirm(subscription=found)
        except SubscriptionEnded:
            context["ended"] = True
        else:
            context["confirmed"] = True
            context["unsubscribe_token"] = found.unsubscribe_token
    return render(request, "programmes/future_dates_confirm.html", context)


# GET shows a button and changes nothing: mail scanners open every link in a
# message, and must not unsubscribe anyone. POST unsubscribes, from the button or
# from a mail app's RFC 8058 one-click "List-Unsubscribe-Post", which carries no
# CSRF token: the signed token in the URL is the only credential and no session
# is involved, so CSRF protection would add nothing here.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def future_dates_unsubscribe_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    found = _subscription_or_bad_link(request, slug, token, purpose="unsubscribe")
    if isinstance(found, HttpResponse):
        return found
    context = {"subscription": found, "programme": found.programme}
    if request.method == "POST":
        future_dates_unsubscribe(subscription=found)
    elif found.unsubscribed_at is None:
        return render(request, "programmes/future_dates_unsubscribe.html", context)
    return render(request, "programmes/future_dates_unsubscribed.html", context)
