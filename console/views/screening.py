"""The screening queue, an application's page, screening decisions and documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.downloads import document_file_response
from applications.eligibility import declaration_questions
from applications.errors import ApplicationError
from applications.lifecycle import TransitionNotAllowed
from applications.models import Application
from applications.models import ApplicationState as S
from applications.services.places import waitlist_position
from applications.services.places.transfer import TRANSFERABLE
from programmes.models import AdmissionMode, ProgrammeTeamMember

from ..forms.notes import AssignForm, NoteForm
from ..forms.places import BULK_ASSIGN, RejectForm, TransferForm, UndoForm
from ..forms.screening import DecisionForm, QueueFilterForm, queue_sort
from ..history import assignments_of
from ..selectors import (
    OFFERABLE_STATES,
    QUEUE_SORTS,
    REJECTABLE_STATES,
    SCREENABLE_STATES,
    WAITLISTABLE_STATES,
    assignable_team,
    cohort_dashboard,
    console_application,
    console_cohort,
    screening_queue,
)
from ..services import screening_decide
from .access import is_manager, user_of

QUEUE_PAGE_SIZE = 25
FILTERS_IGNORED = gettext_lazy(
    "Some filters could not be used and were left out. Check the values you entered."
)


# The states a row can be chosen in for a bulk change: offer, waiting list or turn down.
CHOOSABLE_STATES = tuple(sorted({*OFFERABLE_STATES, *REJECTABLE_STATES, *WAITLISTABLE_STATES}))


def sort_links(query: QueryDict, sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the query string of its header link (the filters kept, the
    page dropped) and, for the column sorted now, its aria-sort value. A header sorted
    one way links to the other."""
    links = {}
    for key in QUEUE_SORTS:
        aria, target = "", key
        if sort.removeprefix("-") == key:
            descending = sort.startswith("-")
            aria = "descending" if descending else "ascending"
            target = key if descending else f"-{key}"
        linked = query.copy()
        linked.pop("page", None)
        linked["sort"] = target
        links[key] = {"query": linked.urlencode(), "aria": aria}
    return links


def queue_filters(request: HttpRequest) -> tuple[QueueFilterForm, dict[str, object], str]:
    """The queue's filter form, its usable values and the sort, from the query string.

    Shared by the page and its exports, so a download holds what the page lists.
    """
    form = QueueFilterForm(request.GET or None)
    filters = form.usable_filters() if form.is_bound else {}
    return form, filters, queue_sort(request.GET.get("sort"))


@login_required
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cohort = console_cohort(user=user, pk=pk)
    form, filters, sort = queue_filters(request)
    if form.is_bound and form.errors:
        messages.error(request, FILTERS_IGNORED)
    page = Paginator(
        screening_queue(cohort=cohort, filters=filters, sort=sort, user=user), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    # Keep the filters and the order in the pagination links, without the page number.
    query = request.GET.copy()
    query.pop("page", None)
    if "sort" in query:
        query["sort"] = sort
    can_manage = is_manager(request, cohort.programme)
    # Managers may share out the people chosen; the list costs one query, for them only.
    bulk_assign = None
    if can_manage:
        bulk_assign = AssignForm(
            team=assignable_team(programme=cohort.programme), prefix=BULK_ASSIGN
        )
        bulk_assign.fields["assigned_to"].widget.attrs["class"] = "form-select"
    return render(
        request,
        "console/queue.html",
        {
            "cohort": cohort,
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "sort": sort,
            "sorts": sort_links(query, sort),
            "counts": cohort_dashboard(cohort=cohort),
            "can_manage": can_manage,
            "choosable": CHOOSABLE_STATES,
            "bulk_assign": bulk_assign,
            "selective": cohort.programme.admission_mode == AdmissionMode.SELECTIVE,
        },
    )


def render_application(
    request: HttpRequest,
    application: Application,
    *,
    decision_form: DecisionForm | None = None,
    reject_form: RejectForm | None = None,
    rescind_form: UndoForm | None = None,
    withdraw_form: UndoForm | None = None,
    transfer_form: TransferForm | None = None,
    note_form: NoteForm | None = None,
    assign_form: AssignForm | None = None,
    team: list[ProgrammeTeamMember] | None = None,
    status: int = 200,
) -> HttpResponse:
    rules = list(application.cohort.programme.eligibility_rules.filter(is_active=True))
    if team is None:
        team = assignable_team(programme=application.cohort.programme)
    if assign_form is None:
        assign_form = AssignForm(
            team=team, initial={"assigned_to": str(application.assigned_to_id or "")}
        )
    statements = {question.key: question.statement for question in declaration_questions(rules)}
    can_manage = is_manager(request, application.cohort.programme)
    return render(
        request,
        "console/application_detail.html",
        {
            "application": application,
            "details": application.snapshot,
            "declarations": [
                (statements.get(key, key), answer)
                for key, answer in application.declarations.items()
            ],
            "position": waitlist_position(application),
            "can_manage": can_manage,
            "can_screen": application.state in SCREENABLE_STATES,
            "can_offer": can_manage and application.state in OFFERABLE_STATES,
            "can_waitlist": can_manage and application.state in WAITLISTABLE_STATES,
            "can_reject": can_manage and application.state in REJECTABLE_STATES,
            "decision_form": decision_form or DecisionForm(),
            "reject_form": reject_form or RejectForm(),
            "can_rescind": can_manage and application.state == S.OFFERED,
            "can_withdraw": can_manage and application.state == S.ENROLLED,
            "can_transfer": can_manage and application.state in TRANSFERABLE,
            "rescind_form": rescind_form or UndoForm(prefix="rescind"),
            "withdraw_form": withdraw_form or UndoForm(prefix="withdraw"),
            "transfer_form": transfer_form
            or TransferForm(application=application, prefix="transfer"),
            "note_form": note_form or NoteForm(),
            "assign_form": assign_form,
            "assignments": assignments_of(application=application),
        },
        status=status,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_application(request, console_application(user=user_of(request), pk=pk))


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Screeners and managers may both decide; the page above already limits who sees it."""
    application = console_application(user=user_of(request), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, decision_form=form, status=400)
    try:
        event = screening_decide(
            application=application,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            by=user_of(request),
        )
    except (ApplicationError, TransitionNotAllowed) as error:
        messages.error(request, str(error))
        return redirect("manage:application", pk=pk)
    if event.is_override:
        messages.success(request, _("Decision saved. It overrides the automatic check."))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("manage:application", pk=pk)


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    application = console_application(user=user_of(request), pk=pk)
    document = next((d for d in application.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    return document_file_response(document)
