"""Reads of the catalogue, as querysets with everything a page needs annotated or prefetched.

Availability (places left, waiting list, status) is computed in one place,
`cohort_availability`, as SQL annotations: the directory, programme pages, the
API and the staff console all use it, so they can never disagree, and a list of
any length costs the same number of queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone

from .models import (
    AdmissionMode,
    Cohort,
    CohortStatus,
    FutureDatesSubscription,
    Programme,
    Provider,
)
from .tokens import future_dates_confirm_token_read, future_dates_unsubscribe_token_read

# Application states are owned by the applications app, which depends on this
# one; we name the state rather than import it to keep the dependency one way.
WAITLISTED = "waitlisted"

# Longer searches are cut to this; nobody types more, and it bounds the work.
SEARCH_MAX_LENGTH = 200
# English stemming and stop words, so "commissioning" finds "commission" and
# "the" is ignored.
SEARCH_CONFIG = "english"

# Statuses in which someone can apply, book or join a waiting list today.
ACCEPTING_STATUSES = (CohortStatus.OPEN, CohortStatus.FULL_WAITLIST)
# Statuses of a cohort whose first day has come.
STARTED_STATUSES = (CohortStatus.RUNNING, CohortStatus.FINISHED)
# Statuses of a cohort nobody can join any more, whatever its dates.
GONE_STATUSES = (*STARTED_STATUSES, CohortStatus.CANCELLED)


def _waiting_list_length() -> Subquery:
    # A correlated subquery, not a JOIN + COUNT: joining applications would
    # multiply cohort rows and force a GROUP BY over every selected column.
    application_model = Cohort._meta.get_field("applications").related_model
    assert not isinstance(application_model, str)  # resolved once apps are loaded
    counts = (
        application_model._default_manager.filter(cohort=OuterRef("pk"), state=WAITLISTED)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counts, output_field=IntegerField())


def programme_search(*, programmes: QuerySet[Programme], query: str) -> QuerySet[Programme]:
    """Programmes matching `query`, annotated with `rank` (higher is better).

    PostgreSQL: full-text search on the stored vector, weighted A title, B
    summary, themes and provider names, C description, so a title match
    outranks a body match; or, for a query without search syntax, each longer
    word found by full-text search or close to a word of the title by trigram
    word similarity (pg_trgm), so a typo still finds the programme, ranked
    below every exact match. Elsewhere (SQLite in development): every word
    must appear in one of the same fields, ranked the same way by where it
    appears; no typo tolerance.
    """
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if not query:
        return programmes.annotate(rank=Value(0.0, output_field=FloatField()))
    if connections[programmes.db].vendor == "postgresql":
        return _search_postgres(programmes, query)
    return _search_simple(programmes, query)


# Fields compared by trigram word similarity, so a misspelt word still finds
# its programme. The title only: it carries the words people search for, it has
# a trigram GIN index, and word_similarity costs tens of microseconds a row
# (every longer field would multiply that on each search). The words of the
# other fields are still found, spelt right, by full-text search.
TYPO_FIELDS = ("title",)
# Shorter words are left to full-text search alone: a typo in a three-letter
# word leaves no trigrams to go on, and most such words are stop words.
TYPO_MIN_LENGTH = 4
TYPO_MAX_WORDS = 10
# Search syntax ("a phrase", -word, OR) means the person wants exactly what
# they typed, so fuzzy matching, which could bring back a -word, is off.
_SEARCH_SYNTAX = re.compile(r'"|(?:^|\s)-\S|(?:^|\s)or(?:\s|$)', re.IGNORECASE)


def _near_every_word(query: str) -> Q | None:
    """Every longer word of `query` is in the programme, exactly or nearly.

    Word by word, because the words of one search are often in different
    fields ("leadershp wales": the title says leadership, the summary Wales).
    A word counts as there when full-text search finds it anywhere, when it
    is a stop word (no lexemes, as full-text search ignores it too), or when
    pg_trgm's %> operator finds it in the title:
    word_similarity(word, field) of at least pg_trgm.word_similarity_threshold
    (0.6 by default), which lets one or two wrong letters through
    ("comissioning", "leadershp") but not a different word.
    """
    words = [w for w in query.split() if len(w) >= TYPO_MIN_LENGTH][:TYPO_MAX_WORDS]
    if not words:
        return None
    every = Q()
    for word in words:
        lexemes = SearchQuery(word, config=SEARCH_CONFIG)
        lexeme_count = Func(lexemes, function="numnode", output_field=IntegerField())
        no_lexemes: Exact[int] = Exact(lexeme_count, 0)
        near = Q(search=lexemes) | Q(no_lexemes)
        for field in TYPO_FIELDS:
            near |= Q(**{f"{field}__trigram_word_similar": word})
        every &= near
    return every


def _search_postgres(programmes: QuerySet[Programme], query: str) -> QuerySet[Programme]:
    # The stored vector (Programme.search_vector: title A; summary, themes and
    # provider names B; description C), kept current by the database and
    # GIN-indexed, so neither matching, ranking nor the paginator's count builds
    # a vector per row.
    # websearch syntax never raises on odd input ("quotes", -minus, OR) and
    # matches what people expect from a search box.
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    programmes = programmes.alias(search=F("search_vector"))
    matches = Q(search=search_query)
    rank: Any = SearchRank(F("search"), search_query)
    near = None if _SEARCH_SYNTAX.search(query) else _near_every_word(query)
    if near is not None:
        # An exact match ranks by full-text rank plus one, above every near
        # match, which ranks by how close the title is (0 to 0.5). Only the
        # near matches pay for the trigram comparison: a search for a common
        # word matches most programmes exactly.
        rank = Case(
            When(matches, then=rank + Value(1.0)),
            default=TrigramWordSimilarity(query, "title") * Value(0.5),
            output_field=FloatField(),
        )
        matches |= near
    return programmes.filter(matches).annotate(
        rank=ExpressionWrapper(rank, output_field=FloatField())
    )


def _search_simple(programmes: QuerySet[Programme], query: str) -> QuerySet[Programme]:
    rank: Any = Value(0)
    for word in query.split()[:10]:
        in_providers = Exists(
            Provider.objects.filter(programmes=OuterRef("pk"), name__icontains=word)
        )
        in_title = Q(title__icontains=word)
        in_middle = Q(summary__icontains=word) | Q(themes__icontains=word) | in_providers
        in_body = Q(description__icontains=word)
        programmes = programmes.filter(in_title | in_middle | in_body)
        rank = rank + Case(
            When(in_title, then=Value(4)),
            When(in_middle, then=Value(2)),
            When(in_body, then=Value(1)),
            default=Value(0),
        )
    return programmes.annotate(rank=ExpressionWrapper(rank, output_field=FloatField()))


def cohort_availability(
    *, cohorts: QuerySet[Cohort], now: dt.datetime | None = None
) -> QuerySet[Cohort]:
    """Annotate `places_left`, `waiting_list_length` and `status` (a CohortStatus value).

    The status is decided in this order, first match wins:
    cancelled → finished (ended) → running (started) → invitation_only → closed
    (window shut) → upcoming_not_open (no window yet, or it opens later) →
    full_waitlist (no places left) → open. A cancelled cohort has no places left.
    """
    return _cohort_status(cohorts, now=now or timezone.now()).annotate(
        waiting_list_length=Coalesce(_waiting_list_length(), Value(0)),
    )


def _cohort_status(cohorts: QuerySet[Cohort], *, now: dt.datetime) -> QuerySet[Cohort]:
    today = timezone.localdate(now)
    invitation = Q(programme__admission_mode=AdmissionMode.INVITATION)
    return cohorts.annotate(
        places_left=Case(
            When(cancelled_at__isnull=False, then=Value(0)),
            default=F("capacity") - F("places_taken"),
            output_field=IntegerField(),
        ),
        status=Case(
            When(cancelled_at__isnull=False, then=Value(CohortStatus.CANCELLED.value)),
            When(ends_on__lt=today, then=Value(CohortStatus.FINISHED.value)),
            When(starts_on__lte=today, then=Value(CohortStatus.RUNNING.value)),
            When(invitation, then=Value(CohortStatus.INVITATION_ONLY.value)),
            When(applications_close_at__lte=now, then=Value(CohortStatus.CLOSED.value)),
            When(
                Q(applications_open_at__isnull=True) | Q(applications_open_at__gt=now),
                then=Value(CohortStatus.UPCOMING_NOT_OPEN.value),
            ),
            When(places_taken__gte=F("capacity"), then=Value(CohortStatus.FULL_WAITLIST.value)),
            default=Value(CohortStatus.OPEN.value),
        ),
    )


def cohort_conditions(
    *,
    now: dt.datetime | None = None,
    accepting_now: bool = False,
    places_available: bool = False,
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
) -> Q:
    """Conditions on a programme's own cohorts (a subquery correlated on the programme),
    for the directory filters and the availability flags.

    "Open now" is a status of OPEN or FULL_WAITLIST; "places available" a status
    of OPEN or UPCOMING_NOT_OPEN with a place left: a cohort not started, not
    closed, not by invitation, with a free place, so you could get in now or when
    it opens. The start-date window matches only cohorts that have not started
    (nor been cancelled): someone asking "what starts before June?" wants
    something they could still join, not a cohort already half way through.

    Written on the columns themselves rather than on cohort_availability's
    `status`, so PostgreSQL filters on plain, indexable comparisons and Django
    compiles far less SQL per request; each condition is the status rule read
    through (cancelled, finished, running, by invitation, closed, not yet open,
    full), and tests/programmes/test_availability.py holds the two to agreement.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Neither cancelled, nor started (so nor finished): still to come.
    to_come = Q(cancelled_at__isnull=True, ends_on__gte=today, starts_on__gt=today)
    # Not by invitation: read from the outer programme row, not a join.
    not_invited = ~Q(Exact(OuterRef("admission_mode"), Value(AdmissionMode.INVITATION.value)))
    not_closed = Q(applications_close_at__isnull=True) | Q(applications_close_at__gt=now)
    q = Q()
    if accepting_now:
        q &= to_come & not_invited & not_closed & Q(applications_open_at__lte=now)
    if places_available:
        q &= to_come & not_invited & not_closed & Q(places_taken__lt=F("capacity"))
    if starts_from or starts_to:
        q &= to_come
    if starts_from:
        q &= Q(starts_on__gte=starts_from)
    if starts_to:
        q &= Q(starts_on__lte=starts_to)
    return q


def programmes_with_cohort(*, programmes: QuerySet[Programme], condition: Q) -> QuerySet[Programme]:
    """Programmes having at least one cohort that meets `condition` (all on the same cohort)."""
    return programmes.filter(Exists(Cohort.objects.filter(condition, programme=OuterRef("pk"))))


def _annotate_programme_availability(
    programmes: QuerySet[Programme], *, now: dt.datetime | None = None
) -> QuerySet[Programme]:
    """Add `next_start`, `accepting_now` and `has_places`, each from the programme's cohorts.

    Each is a scalar subquery with LIMIT 1 on the programme's own cohorts, never an
    EXISTS: PostgreSQL may run an EXISTS in the select list once for the whole
    table (hashing every cohort), while these run per row and, being costly, only
    for the rows left after ORDER BY and LIMIT, so a page of 20 reads about 20
    programmes' cohorts however long the catalogue. `next_start` is the sort key
    of the default order, so it is needed for every programme: it comes from the
    stored date where that holds, and otherwise from the partial index on
    (programme, starts_on) of cohorts not cancelled.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)

    def first_cohort(condition: Q) -> Subquery:
        cohorts = Cohort.objects.filter(condition, programme=OuterRef("pk"))
        return Subquery(cohorts.order_by().values("pk")[:1])

    worked_out = (
        Cohort.objects.filter(
            programme=OuterRef("pk"), starts_on__gte=today, cancelled_at__isnull=True
        )
        .order_by("starts_on")
        .values("starts_on")[:1]
    )
    # The stored date (migration 0011) whenever it still holds for today; the subquery
    # only for rows it does not (a cohort began since, a day read from the past, SQLite).
    next_start = Case(
        When(
            Q(next_start_checked_on__lte=today)
            & (Q(next_start_on__isnull=True) | Q(next_start_on__gte=today)),
            then=F("next_start_on"),
        ),
        default=Subquery(worked_out),
        output_field=DateField(),
    )
    return programmes.alias(
        accepting_cohort=first_cohort(cohort_conditions(now=now, accepting_now=True)),
        cohort_with_places=first_cohort(cohort_conditions(now=now, places_available=True)),
    ).annotate(
        next_start=next_start,
        accepting_now=ExpressionWrapper(
            Q(accepting_cohort__isnull=False), output_field=BooleanField()
        ),
        has_places=ExpressionWrapper(
            Q(cohort_with_places__isnull=False), output_field=BooleanField()
        ),
    )


def programme_list_public(*, now: dt.datetime | None = None) -> QuerySet[Programme]:
    """Published programmes with providers, next start date and availability flags.

    Two queries for any number of rows: the programmes, then their providers.
    """
    return (
        _annotate_programme_availability(Programme.objects.published(), now=now)
        .select_related("funder")
        .prefetch_related("providers")
        # Lists show neither: the vector is kilobytes a row, the description a page's worth.
        .defer("search_vector", "description")
        .order_by("title")
    )


def programmes_soonest_first() -> list[Any]:
    """The directory's default order: next start date, programmes with no dates last."""
    return [F("next_start").asc(nulls_last=True), "title", "pk"]


@dataclass(frozen=True)
class ProgrammeShowcase:
    programmes: Sequence[Programme]
    total: int


def programme_showcase_public(*, limit: int, now: dt.datetime | None = None) -> ProgrammeShowcase:
    """The first `limit` programmes of the directory's default listing, and how many it has.

    The total is a window count over the same rows as the cards, in the same query
    (plus one for providers), so the number the home page states and the cards it
    shows can never come from two different sets.
    """
    rows = list(
        programme_list_public(now=now)
        .annotate(listed=Window(Count("pk")))
        .order_by(*programmes_soonest_first())[:limit]
    )
    return ProgrammeShowcase(programmes=rows, total=rows[0].listed if rows else 0)


def programme_detail_public(
    *, slug: str, now: dt.datetime | None = None, with_rules: bool = True
) -> Programme:
    """One published programme with providers, funder and its cohorts' availability.

    Five queries whatever the number of cohorts and resources (three without the rules
    and resources). Raises Programme.DoesNotExist.
    """
    return _programme_detail(Programme.objects.published(), now=now, with_rules=with_rules).get(
        slug=slug
    )


def programme_detail_preview(*, programme_id: int, now: dt.datetime | None = None) -> Programme:
    """The same as programme_detail_public, published or not: the console's preview.

    The caller has checked that the person may see the programme.
    """
    return _programme_detail(Programme.objects.all(), now=now, with_rules=True).get(pk=programme_id)


def _programme_detail(
    programmes: QuerySet[Programme], *, now: dt.datetime | None, with_rules: bool
) -> QuerySet[Programme]:
    cohorts = cohort_availability(cohorts=Cohort.objects.order_by("starts_on", "name"), now=now)
    # Rules belong to the applications app, which depends on this one: reach the
    # model through the relation instead of importing it.
    lookups: list[str | Prefetch[Any]] = ["providers", Prefetch("cohorts", queryset=cohorts)]
    if with_rules:
        rule_model = Programme._meta.get_field("eligibility_rules").related_model
        rules = rule_model._default_manager.filter(is_active=True).order_by("position", "id")  # type: ignore[union-attr]
        lookups.append(
            Prefetch("eligibility_rules", queryset=rules, to_attr="active_eligibility_rules")
        )
        # Resources belong to the resources app, which depends on this one: by name, likewise.
        resource_model = apps.get_model("resources", "Resource")
        resources = resource_model._default_manager.filter(status="published").order_by(
            "-published_on", "title", "pk"
        )
        lookups.append(Prefetch("resources", queryset=resources, to_attr="published_resources"))
    return (
        _annotate_programme_availability(programmes, now=now)
        .select_related("funder")
        .prefetch_related(*lookups)
        .defer("search_vector")
    )


def cohort_list_public(*, now: dt.datetime | None = None) -> QuerySet[Cohort]:
    """Cohorts of published programmes with availability, soonest first."""
    return cohort_availability(
        cohorts=Cohort.objects.of_published_programmes()
        .select_related("programme")
        .defer("programme__search_vector", "programme__description")
        .order_by("starts_on", "programme__title", "pk"),
        now=now,
    )


def future_dates_subscription_from_token(
    *, slug: str, token: str, purpose: str
) -> FutureDatesSubscription:
    """The subscription a confirm or unsubscribe link names.

    Raises BadToken (altered, expired or for the other purpose) or
    FutureDatesSubscription.DoesNotExist. Works for unpublished programmes too:
    an unsubscribe link must always work.
    """
    read = (
        future_dates_confirm_token_read
        if purpose == "confirm"
        else future_dates_unsubscribe_token_read
    )
    pk, email = read(token)
    return FutureDatesSubscription.objects.select_related("programme").get(
        pk=pk, email=email, programme__slug=slug
    )
