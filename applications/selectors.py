"""Reads of applications. An applicant only ever reaches their own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from programmes.models import Cohort

from .eligibility import declaration_questions, required_document_kinds
from .models import Application, ApplicationEvent, ApplicationState, EligibilityRule, RuleKind
from .sections import SectionFacts
from .services.places.selectors import place_elsewhere_in_programme
from .user_text import NEXT_STEPS


def applications_for_applicant(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme")
        .order_by("-updated_at")
    )


def application_for_applicant(*, user: User, pk: int) -> Application:
    """The user's own application with what its pages show, or 404 (never 403: no hints)."""
    try:
        return (
            Application.objects.select_related("cohort__programme", "applicant")
            .prefetch_related(
                "documents",
                Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            )
            .get(pk=pk, applicant=user)
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def current_application(*, cohort: Cohort, user: User) -> Application | None:
    """The person's application to `cohort` that is not withdrawn: there is at most one."""
    return (
        Application.objects.filter(cohort=cohort, applicant=user)
        .exclude(state=ApplicationState.WITHDRAWN)
        .first()
    )


def profile_is_complete(user: User) -> bool:
    """The profile has what screening reads: current role, employer, sector and nation."""
    profile = getattr(user, "profile", None)
    return bool(
        profile
        and profile.current_role
        and profile.employer_type
        and profile.employer_display
        and profile.sector
        and profile.nation
    )


def section_facts_for(
    application: Application,
    *,
    rules: list[EligibilityRule] | None = None,
    document_kinds: frozenset[str] | None = None,
) -> SectionFacts:
    """What the task list needs beyond the application row: at most four queries
    (rules, profile, career, documents), fewer when the caller passes the rules or the
    kinds of document uploaded."""
    if rules is None:
        rules = list(application.cohort.programme.eligibility_rules.filter(is_active=True))
    applicant = application.applicant
    return SectionFacts(
        admission_mode=application.cohort.programme.admission_mode,
        profile_complete=profile_is_complete(applicant),
        has_career=applicant.career_entries.exists(),
        question_keys=frozenset(q.key for q in declaration_questions(rules)),
        required_documents=frozenset(required_document_kinds(rules)),
        document_kinds=(
            frozenset(d.kind for d in application.documents.all())
            if document_kinds is None
            else document_kinds
        ),
        needs_endorsement=any(rule.kind == RuleKind.ENDORSEMENT for rule in rules),
    )


def _waiting_ahead() -> Coalesce:
    """For an application row: how many people are ahead of it on its cohort's waiting list.

    The same list and order as places.selectors.waiting_list (closed accounts and
    people holding another place in the programme left out; priority first, then
    when they joined, then id), counted in SQL so a page of many waiting-list
    applications costs no extra query each.
    """
    waiting = Application.objects.filter(
        cohort_id=OuterRef("cohort_id"),
        state=ApplicationState.WAITLISTED,
        applicant__is_active=True,
    ).exclude(place_elsewhere_in_programme())
    ahead = waiting.filter(
        Q(waitlist_priority__gt=OuterRef("waitlist_priority"))
        | Q(
            waitlist_priority=OuterRef("waitlist_priority"),
            waitlisted_at__lt=OuterRef("waitlisted_at"),
        )
        | Q(
            waitlist_priority=OuterRef("waitlist_priority"),
            waitlisted_at=OuterRef("waitlisted_at"),
            pk__lt=OuterRef("pk"),
        )
    )
    counted = ahead.order_by().values("cohort_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class Dashboard:
    """The applicant's own applications, grouped by what they need to do next."""

    offers: list[Application] = field(default_factory=list)
    waiting: list[Application] = field(default_factory=list)
    others: list[Application] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.offers or self.waiting or self.others)


def applicant_dashboard(*, user: User) -> Dashboard:
    """Everything the dashboard shows, in one query however many applications there are.

    Each waiting-list application gets `waitlist_position` (1 is next), or None
    while it is not in line (its applicant holds a place on another cohort of
    the programme), matching places.selectors.waitlist_position.
    """
    rows = applications_for_applicant(user=user).annotate(
        waiting_ahead=_waiting_ahead(),
        holds_place_elsewhere=place_elsewhere_in_programme(),
    )
    dashboard = Dashboard()
    for application in rows:
        position = None
        if (
            application.state == ApplicationState.WAITLISTED
            and user.is_active
            and not application.holds_place_elsewhere
        ):
            position = application.waiting_ahead + 1
        application.waitlist_position = position  # type: ignore[attr-defined]
        application.next_step = NEXT_STEPS.get(ApplicationState(application.state), "")  # type: ignore[attr-defined]
        if application.state == ApplicationState.OFFERED:
            dashboard.offers.append(application)
        elif application.state == ApplicationState.WAITLISTED:
            dashboard.waiting.append(application)
        else:
            dashboard.others.append(application)
    return dashboard
