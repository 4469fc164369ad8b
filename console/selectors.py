"""Reads for the staff console. Every one starts from what the user may see.

Each page costs a fixed number of queries whatever the size of the cohort:
counts are one aggregate, lists are one query plus, when paginated, one count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils import translation

from accounts.models import Sector, User
from applications.lifecycle import (
    DECIDED,
    OFFERABLE,
    REJECTABLE,
    SCREENABLE,
    SCREENED,
    WAITLISTABLE,
)
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    EligibilityOutcome,
    EligibilityRule,
    InvitationImport,
)
from applications.models import ApplicationState as S
from programmes.models import Cohort, Programme, ProgrammeTeamMember
from programmes.selectors import cohort_availability

from .permissions import MANAGER, cohorts_for, programmes_for

# The named sets of states live in the lifecycle module; these are the console's names.
DECIDED_STATES = tuple(DECIDED)
SCREENING_STATES = tuple(SCREENED)
SCREENABLE_STATES = tuple(SCREENABLE)
OFFERABLE_STATES = tuple(OFFERABLE)
REJECTABLE_STATES = tuple(REJECTABLE)
WAITLISTABLE_STATES = tuple(WAITLISTABLE)

# The queue's "assigned" filter: to the person looking, or to nobody.
ASSIGNED_TO_ME = "me"
ASSIGNED_TO_NOBODY = "nobody"

# The dashboard's counts, in the order shown: (key, state or None for "applied").
DASHBOARD_STATES: tuple[str, ...] = (
    S.SUBMITTED,
    S.ELIGIBLE,
    S.NEEDS_REVIEW,
    S.INELIGIBLE,
    S.OFFERED,
    S.ENROLLED,
    S.WAITLISTED,
    S.REJECTED,
    S.DECLINED,
    S.EXPIRED,
    S.WITHDRAWN,
    S.COMPLETED,
    S.DID_NOT_COMPLETE,
)


# --- Access ------------------------------------------------------------------


def console_role(*, user: User, programme: Programme) -> str | None:
    """MANAGER, SCREENER or None. Site administrators act as managers everywhere."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return MANAGER
    role: str | None = (
        ProgrammeTeamMember.objects.filter(user=user, programme=programme)
        .values_list("role", flat=True)
        .first()
    )
    return role


def console_cohort(*, user: User, pk: int) -> Cohort:
    """A cohort of a programme the user works on, with its availability, or 404.

    404 rather than 403, so nobody learns which cohorts exist elsewhere.
    """
    cohorts = cohort_availability(cohorts=cohorts_for(user=user).select_related("programme"))
    try:
        return cohorts.get(pk=pk)
    except Cohort.DoesNotExist as exc:
        raise Http404 from exc


def console_applications(*, user: User) -> QuerySet[Application]:
    """Submitted applications (never drafts) to programmes the user works on."""
    return Application.objects.exclude(state=S.DRAFT).filter(
        cohort__programme__in=programmes_for(user=user)
    )


def console_application(*, user: User, pk: int) -> Application:
    """One application with everything its console page shows, or 404.

    Only the application's own fields, its snapshot, rule outcomes, documents,
    history and the team's notes (newest first) are loaded: never anything from
    equality monitoring.
    """
    events = ApplicationEvent.objects.select_related("actor").order_by("created_at", "id")
    notes = ApplicationNote.objects.select_related("author").order_by("-created_at", "-id")
    try:
        return (
            console_applications(user=user)
            .select_related("cohort__programme", "applicant", "assigned_to")
            .prefetch_related(
                "documents",
                Prefetch("events", queryset=events),
                Prefetch("notes", queryset=notes),
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def assignable_team(*, programme: Programme) -> list[ProgrammeTeamMember]:
    """The programme's screeners and managers with open accounts, by name: the people an
    application can be assigned to. One query."""
    return list(
        ProgrammeTeamMember.objects.filter(programme=programme, user__is_active=True)
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )


# --- Cohorts -------------------------------------------------------------------


def _screened_condition() -> Q:
    """A person has decided on the application: a screening decision, an offer, the
    waiting list or a refusal, made by someone (not the automatic check or a booking)."""
    by_a_person = ApplicationEvent.objects.filter(
        application=OuterRef("pk"),
        actor__isnull=False,
        from_state__in=SCREENABLE_STATES,
        to_state__in=(*SCREENING_STATES, S.OFFERED, S.WAITLISTED, S.REJECTED),
    )
    return Q(Exists(by_a_person))


def _count_in_state(state: str) -> Subquery:
    counts = (
        Application.objects.filter(cohort=OuterRef("pk"), state=state)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counts, output_field=IntegerField())


def cohorts_for_console(*, user: User, now: dt.datetime | None = None) -> QuerySet[Cohort]:
    """The user's cohorts with availability and what waits for screening, in one query."""
    applied = (
        Application.objects.filter(cohort=OuterRef("pk"))
        .exclude(state=S.DRAFT)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cohort_availability(
        cohorts=cohorts_for(user=user)
        .select_related("programme")
        .order_by("programme__title", "programme_id", "starts_on", "name", "pk"),
        now=now,
    ).annotate(
        applied=Coalesce(Subquery(applied, output_field=IntegerField()), Value(0)),
        to_review=Coalesce(_count_in_state(S.NEEDS_REVIEW), Value(0))
        + Coalesce(_count_in_state(S.SUBMITTED), Value(0)),
    )


def cohort_dashboard(*, cohort: Cohort) -> dict[str, Any]:
    """Counts per state, applied, and the share screened, in ONE aggregate query."""
    counts = {state: Count("pk", filter=Q(state=state)) for state in DASHBOARD_STATES}
    totals = (
        Application.objects.filter(cohort=cohort)
        .exclude(state=S.DRAFT)
        .aggregate(
            applied=Count("pk"),
            screened=Count("pk", filter=_screened_condition()),
            **counts,
        )
    )
    applied = totals["applied"]
    totals["screened_percent"] = round(100 * totals["screened"] / applied) if applied else 0
    return totals


# --- The screening queue ---------------------------------------------------------


def _sector_label(value: str) -> str:
    # The snapshot keeps the label as shown at submission, in English.
    with translation.override("en"):
        return str(Sector(value).label)


# The queue's sort orders, by the `?sort=` key; "-key" reverses one. Anything else is
# the default. Each ends on the submission time and id, so pages never overlap.
QUEUE_SORT_DEFAULT = "submitted"
QUEUE_SORTS = ("submitted", "name", "outcome", "state")
# The automatic outcome from best to worst, then "not checked".
_OUTCOME_ORDER = (
    EligibilityOutcome.ELIGIBLE,
    EligibilityOutcome.NEEDS_REVIEW,
    EligibilityOutcome.INELIGIBLE,
)


def _rank(field: str, values: tuple[str, ...]) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _sort_key(applicant: str = "applicant") -> Lower:
    """The name as the page shows it: the full name, or the email address if none."""
    return Lower(
        Coalesce(
            NullIf(f"{applicant}__full_name", Value("")),
            f"{applicant}__email",
            output_field=CharField(),
        )
    )


def queue_order(sort: str) -> list[OrderBy]:
    """The ORDER BY of a valid `sort` key (see QUEUE_SORTS), ties broken by submission."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    first: Any
    if key == "name":
        first = _sort_key()
    elif key == "outcome":
        first = _rank("eligibility_outcome", _OUTCOME_ORDER)
    elif key == "state":
        # In the order of the lifecycle, as ApplicationState lists them.
        first = _rank("state", tuple(S.values))
    else:
        submitted = F("submitted_at")
        if descending:
            return [submitted.desc(nulls_last=True), F("pk").desc()]
        return [submitted.asc(nulls_last=True), F("pk").asc()]
    ordered = first.desc() if descending else first.asc()
    return [ordered, F("submitted_at").asc(nulls_last=True), F("pk").asc()]


def screening_queue(
    *,
    cohort: Cohort,
    filters: dict[str, Any],
    sort: str = QUEUE_SORT_DEFAULT,
    user: User | None = None,
) -> QuerySet[Application]:
    """The cohort's submitted applications, filtered and sorted (oldest submission first).

    `filters` are a QueueFilterForm's cleaned values; empty ones are ignored;
    `sort` a valid key of QUEUE_SORTS (the view checks it). The sector is the one
    given in the snapshot: what was screened, not what the profile says today. The
    local authority is the profile's, as in the providers' exports. "Assigned to
    me" needs `user`.
    """
    applications = (
        Application.objects.filter(cohort=cohort)
        .exclude(state=S.DRAFT)
        .select_related("applicant", "assigned_to")
        .annotate(
            local_authority=Coalesce(
                "applicant__profile__local_authority__name", Value(""), output_field=CharField()
            )
        )
        .order_by(*queue_order(sort))
    )
    if filters.get("state"):
        applications = applications.filter(state=filters["state"])
    if filters.get("outcome"):
        applications = applications.filter(eligibility_outcome=filters["outcome"])
    if filters.get("sector"):
        applications = applications.filter(snapshot__sector=_sector_label(filters["sector"]))
    if filters.get("submitted_from"):
        applications = applications.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        applications = applications.filter(submitted_at__date__lte=filters["submitted_to"])
    if filters.get("assigned") == ASSIGNED_TO_ME and user is not None:
        applications = applications.filter(assigned_to=user)
    elif filters.get("assigned") == ASSIGNED_TO_NOBODY:
        applications = applications.filter(assigned_to__isnull=True)
    if filters.get("q"):
        words = filters["q"].split()[:5]
        for word in words:
            applications = applications.filter(
                Q(applicant__full_name__icontains=word) | Q(applicant__email__icontains=word)
            )
    return applications


def attendance_list(*, cohort: Cohort) -> QuerySet[Application]:
    """Everyone who took up a place, and what was recorded about them."""
    return (
        Application.objects.filter(
            cohort=cohort, state__in=(S.ENROLLED, S.COMPLETED, S.DID_NOT_COMPLETE)
        )
        .select_related("applicant")
        .order_by("applicant__full_name", "pk")
    )


# --- Eligibility rules -------------------------------------------------------------


def console_rule(*, user: User, pk: int) -> EligibilityRule:
    """A rule of a programme the user works on, with its programme, or 404."""
    rule = (
        EligibilityRule.objects.select_related("programme")
        .filter(programme__in=programmes_for(user=user), pk=pk)
        .first()
    )
    if rule is None:
        raise Http404
    return rule


def programme_rules(*, programme: Programme) -> list[EligibilityRule]:
    """All the programme's rules in the order the engine checks them (in use or not)."""
    return list(programme.eligibility_rules.order_by("position", "pk"))


# --- Invitation imports ------------------------------------------------------------

RECENT_IMPORTS = 10


def console_invitation_import(*, user: User, pk: int) -> InvitationImport:
    """A CSV import of a cohort the user works on, with its cohort and people, or 404."""
    imports = InvitationImport.objects.filter(cohort__in=cohorts_for(user=user)).select_related(
        "cohort__programme", "created_by", "confirmed_by"
    )
    try:
        return imports.get(pk=pk)
    except InvitationImport.DoesNotExist as exc:
        raise Http404 from exc


def invitation_imports_recent(*, cohort: Cohort) -> list[InvitationImport]:
    """The cohort's latest imports for a list: one query, without their rows or reports."""
    return list(
        InvitationImport.objects.filter(cohort=cohort)
        .select_related("created_by")
        .defer("rows", "report")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )


# --- Programmes and their teams ---------------------------------------------------


def programmes_for_console(*, user: User) -> QuerySet[Programme]:
    """The user's programmes with their number of cohorts and the user's role, one query."""
    cohorts = (
        Cohort.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    role = ProgrammeTeamMember.objects.filter(programme=OuterRef("pk"), user=user).values("role")[
        :1
    ]
    return (
        programmes_for(user=user)
        .annotate(
            cohort_count=Coalesce(Subquery(cohorts, output_field=IntegerField()), Value(0)),
            my_role=Subquery(role),
        )
        .order_by("title", "pk")
    )


def console_programme(*, user: User, pk: int, details: bool = True) -> Programme:
    """A programme the user works on, or 404; with its providers and funder unless a
    page (the rules pages) has no use for them."""
    programmes = programmes_for(user=user)
    if details:
        programmes = programmes.select_related("funder").prefetch_related("providers")
    try:
        return programmes.get(pk=pk)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def programme_cohorts(*, programme: Programme, now: dt.datetime | None = None) -> QuerySet[Cohort]:
    """The programme's cohorts, soonest first, with availability and applications made."""
    applied = (
        Application.objects.filter(cohort=OuterRef("pk"))
        .exclude(state=S.DRAFT)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cohort_availability(
        cohorts=Cohort.objects.filter(programme=programme).order_by("starts_on", "name", "pk"),
        now=now,
    ).annotate(applied=Coalesce(Subquery(applied, output_field=IntegerField()), Value(0)))


def programme_team(*, programme: Programme) -> QuerySet[ProgrammeTeamMember]:
    """The team, managers first, then by name."""
    return (
        ProgrammeTeamMember.objects.filter(programme=programme)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email", "pk")
    )
