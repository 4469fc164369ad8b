"""The directory at /programmes/: search, every filter, sort, pagination and bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.filters import NOT_YES_OR_NO, START_WINDOW_BACKWARDS, START_WINDOW_HINT
from programmes.models import AdmissionMode, Audience, Cohort, CostType, DeliveryFormat
from tests import factories
from tests.catalogue import version_reads

pytestmark = pytest.mark.django_db

URL = reverse("programmes:list")
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _titles(client, params: dict | None = None) -> list[str]:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r'<h3 class="h4 card-title"><a href="[^"]+">([^<]+)</a>', body)


def _closed(programme) -> Cohort:
    now = timezone.now()
    return factories.CohortFactory(
        programme=programme,
        applications_open_at=now - 20 * DAY,
        applications_close_at=now - DAY,
    )


# --- Filters -------------------------------------------------------------------------------


def test_audience_filter_combines_choices_with_or(client) -> None:
    factories.ProgrammeFactory(title="For aspirants", audience=Audience.ASPIRING_DIRECTOR)
    factories.ProgrammeFactory(title="For members", audience=Audience.ELECTED_MEMBER)
    factories.ProgrammeFactory(title="For seniors", audience=Audience.SENIOR_LEADER)
    titles = _titles(client, {"audience": ["aspiring_director", "elected_member"]})
    assert sorted(titles) == ["For aspirants", "For members"]


def test_provider_filter_by_slug_lists_a_programme_once(client) -> None:
    ipc = factories.ProviderFactory(slug="ipc", name="IPC")
    lga = factories.ProviderFactory(slug="lga", name="LGA")
    factories.ProgrammeFactory(title="Joint", providers=[ipc, lga])
    factories.ProgrammeFactory(title="Other")
    assert _titles(client, {"provider": ["ipc", "lga"]}) == ["Joint"]


def test_format_filter(client) -> None:
    factories.ProgrammeFactory(title="Online one", format=DeliveryFormat.ONLINE)
    factories.ProgrammeFactory(title="Residential one", format=DeliveryFormat.RESIDENTIAL)
    assert _titles(client, {"delivery": "residential"}) == ["Residential one"]


def test_cost_filter(client) -> None:
    factories.ProgrammeFactory(title="Free one", cost_type=CostType.FUNDED, cost_amount=None)
    factories.ProgrammeFactory(title="Paid one", cost_type=CostType.PAID)
    assert _titles(client, {"cost": "funded"}) == ["Free one"]
    assert _titles(client, {"cost": "paid"}) == ["Paid one"]


def test_accreditation_filter(client) -> None:
    factories.ProgrammeFactory(title="Accredited", accreditation="Postgraduate certificate")
    factories.ProgrammeFactory(title="Not accredited", accreditation="")
    assert _titles(client, {"accredited": "true"}) == ["Accredited"]
    assert len(_titles(client, {"accredited": "false"})) == 2


def test_open_now_filter_includes_waiting_lists_but_not_closed_or_future(client) -> None:
    open_one = factories.CohortFactory(programme__title="Open").programme
    full = factories.CohortFactory(programme__title="Full", capacity=5).programme
    Cohort.objects.filter(programme=full).update(places_taken=5)
    _closed(factories.ProgrammeFactory(title="Closed"))
    factories.CohortFactory(programme__title="Later", applications_open_at=timezone.now() + 5 * DAY)
    assert sorted(_titles(client, {"open_now": "true"})) == [full.title, open_one.title]


def test_places_filter_excludes_full_closed_and_invitation_cohorts(client) -> None:
    factories.CohortFactory(programme__title="Has places")
    factories.CohortFactory(
        programme__title="Opens soon", applications_open_at=timezone.now() + 5 * DAY
    )
    full = factories.CohortFactory(programme__title="Full", capacity=5)
    Cohort.objects.filter(pk=full.pk).update(places_taken=5)
    _closed(factories.ProgrammeFactory(title="Closed"))
    factories.CohortFactory(
        programme__title="Invited", programme__admission_mode=AdmissionMode.INVITATION
    )
    assert sorted(_titles(client, {"places": "true"})) == ["Has places", "Opens soon"]


def test_start_window_filter(client) -> None:
    factories.CohortFactory(programme__title="March", starts_on=dt.date(2031, 3, 10))
    factories.CohortFactory(programme__title="June", starts_on=dt.date(2031, 6, 10))
    window = {"starts_from": "2031-03-01", "starts_to": "2031-03-31"}
    assert _titles(client, window) == ["March"]
    assert _titles(client, {"starts_from": "2031-04-01"}) == ["June"]
    assert _titles(client, {"starts_to": "2031-04-01"}) == ["March"]


def test_start_window_is_asked_as_day_month_and_year_boxes(client) -> None:
    factories.CohortFactory(programme__title="March", starts_on=dt.date(2031, 3, 10))
    factories.CohortFactory(programme__title="June", starts_on=dt.date(2031, 6, 10))
    boxes = {"starts_from_day": "1", "starts_from_month": "4", "starts_from_year": "2031"}
    assert _titles(client, boxes) == ["June"]
    page = client.get(URL, boxes).content.decode()
    assert 'type="date"' not in page
    assert 'name="starts_from_month" id="filter-starts_from-month" value="4"' in page
    # A link with the ISO parameter shows the same date in the boxes.
    linked = client.get(URL, {"starts_to": "2031-04-01"}).content.decode()
    assert 'name="starts_to_day" id="filter-starts_to-day" value="1"' in linked


@pytest.mark.parametrize("parts", [("31", "2", "2031"), ("x", "4", "2031"), ("1", "", "2031")])
def test_a_start_date_that_is_not_a_real_date_is_reported(client, parts) -> None:
    day, month, year = parts
    response = client.get(
        URL, {"starts_from_day": day, "starts_from_month": month, "starts_from_year": year}
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_start_window_matches_only_cohorts_not_yet_started(client) -> None:
    factories.CohortFactory(
        programme__title="Started", starts_on=TODAY - 10 * DAY, ends_on=TODAY + 60 * DAY
    )
    factories.CohortFactory(
        programme__title="Upcoming", starts_on=TODAY + 10 * DAY, ends_on=TODAY + 60 * DAY
    )
    assert _titles(client, {"starts_to": (TODAY + 30 * DAY).isoformat()}) == ["Upcoming"]
    assert _titles(client, {"starts_from": (TODAY - 30 * DAY).isoformat()}) == ["Upcoming"]
    window = {"starts_from": (TODAY - 30 * DAY).isoformat(), "starts_to": TODAY.isoformat()}
    assert _titles(client, window) == []
    # Without a date filter the running cohort's programme is still listed.
    assert sorted(_titles(client)) == ["Started", "Upcoming"]


def test_start_window_says_that_it_leaves_out_started_cohorts(client) -> None:
    body = client.get(URL).content.decode()
    assert str(START_WINDOW_HINT) in body


def test_cohort_filters_must_hold_for_the_same_cohort(client) -> None:
    programme = factories.ProgrammeFactory(title="Two cohorts")
    # Open now, but starts in 2031; the 2032 cohort is not open yet.
    factories.CohortFactory(programme=programme, starts_on=dt.date(2031, 3, 10))
    factories.CohortFactory(
        programme=programme,
        starts_on=dt.date(2032, 3, 10),
        applications_open_at=timezone.now() + 30 * DAY,
    )
    assert _titles(client, {"open_now": "true", "starts_from": "2032-01-01"}) == []
    assert _titles(client, {"open_now": "true", "starts_from": "2031-01-01"}) == ["Two cohorts"]


def test_filters_combine(client) -> None:
    factories.CohortFactory(
        programme__title="Match",
        programme__audience=Audience.ELECTED_MEMBER,
        programme__format=DeliveryFormat.RESIDENTIAL,
    )
    factories.CohortFactory(
        programme__title="Wrong format",
        programme__audience=Audience.ELECTED_MEMBER,
        programme__format=DeliveryFormat.ONLINE,
    )
    params = {"audience": "elected_member", "delivery": "residential", "open_now": "true"}
    assert _titles(client, params) == ["Match"]


def test_active_filters_are_listed_and_each_link_removes_only_itself(client) -> None:
    factories.ProviderFactory(slug="ipc", name="Institute of Public Care")
    response = client.get(
        URL, {"audience": ["new_director", "elected_member"], "provider": "ipc", "q": "wales"}
    )
    chosen = response.context["active_filters"]
    labels = [str(f.label) for f in chosen]
    assert labels == [
        "Search: “wales”",
        "Who it is for: New directors",
        "Who it is for: Elected members",
        "Provider: Institute of Public Care",
    ]
    remove_new_directors = chosen[1].remove_query
    assert "audience=elected_member" in remove_new_directors
    assert "new_director" not in remove_new_directors
    assert "provider=ipc" in remove_new_directors and "q=wales" in remove_new_directors
    body = response.content.decode()
    assert "Clear all filters" in body
    assert "Remove filter" in body


def test_pagination_keeps_filters(client) -> None:
    for n in range(25):
        factories.ProgrammeFactory(title=f"Programme {n:02}", format=DeliveryFormat.ONLINE)
    response = client.get(URL, {"delivery": "online", "sort": "title"})
    body = response.content.decode()
    assert "25 programmes found" in body
    assert "delivery=online" in body and "page=2" in body
    second = _titles(client, {"delivery": "online", "sort": "title", "page": "2"})
    assert second == [f"Programme {n}" for n in range(20, 25)]


# --- Sort ----------------------------------------------------------------------------------


def test_default_sort_is_next_start_date_with_undated_last(client) -> None:
    factories.ProgrammeFactory(title="A undated")
    factories.CohortFactory(programme__title="B later", starts_on=TODAY + 90 * DAY)
    factories.CohortFactory(programme__title="C sooner", starts_on=TODAY + 10 * DAY)
    assert _titles(client) == ["C sooner", "B later", "A undated"]


def test_sort_by_title(client) -> None:
    factories.CohortFactory(programme__title="Zebra", starts_on=TODAY + 10 * DAY)
    factories.ProgrammeFactory(title="Aardvark")
    assert _titles(client, {"sort": "title"}) == ["Aardvark", "Zebra"]


# --- Search --------------------------------------------------------------------------------


def test_search_finds_title_summary_description_themes_and_provider(client) -> None:
    factories.ProgrammeFactory(title="Commissioning course")
    factories.ProgrammeFactory(title="Summary hit", summary="All about commissioning.")
    factories.ProgrammeFactory(title="Body hit", description="Includes commissioning work.")
    factories.ProgrammeFactory(title="Theme hit", themes="Leading change\nCommissioning")
    oxford = factories.ProviderFactory(name="Commissioning Academy", slug="academy")
    factories.ProgrammeFactory(title="Provider hit", providers=[oxford])
    factories.ProgrammeFactory(title="Nothing", summary="Unrelated.", description="Unrelated.")
    found = _titles(client, {"q": "commissioning"})
    assert sorted(found) == sorted(
        ["Commissioning course", "Summary hit", "Body hit", "Theme hit", "Provider hit"]
    )


def test_a_title_match_outranks_a_body_match(client) -> None:
    factories.ProgrammeFactory(
        title="Aardvark programme", description="Covers systems leadership and resilience."
    )
    factories.ProgrammeFactory(title="Resilience for leaders", description="Short sessions.")
    assert _titles(client, {"q": "resilience"}) == [
        "Resilience for leaders",
        "Aardvark programme",
    ]


@pytest.mark.postgres
def test_full_text_search_ranks_title_over_body_and_stems_words(client) -> None:
    factories.ProgrammeFactory(
        title="Aardvark programme", description="Sessions on commissioning services well."
    )
    factories.ProgrammeFactory(title="Commissioning for children", description="Short.")
    factories.ProgrammeFactory(title="Unrelated", description="Nothing to see.")
    # "commissioned" stems to the same lexeme as "commissioning".
    assert _titles(client, {"q": "commissioned"}) == [
        "Commissioning for children",
        "Aardvark programme",
    ]


@pytest.mark.postgres
def test_full_text_search_accepts_web_search_syntax(client) -> None:
    factories.ProgrammeFactory(title="Leadership in Wales")
    factories.ProgrammeFactory(title="Leadership in England")
    assert _titles(client, {"q": "leadership -england"}) == ["Leadership in Wales"]
    assert _titles(client, {"q": '"in wales"'}) == ["Leadership in Wales"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("comissioning", ["Commissioning for better outcomes"]),
        ("leadershp", ["Leadership essentials", "Women in leadership"]),
        ("leadershp wales", ["Women in leadership"]),
        # A stop word counts as there, as full-text search ignores it too.
        ("leadershp with wales", ["Women in leadership"]),
    ],
)
def test_search_tolerates_typos(client, query, expected) -> None:
    factories.ProgrammeFactory(
        title="Commissioning for better outcomes", summary="Plan and buy services well."
    )
    factories.ProgrammeFactory(title="Leadership essentials", summary="For lead members.")
    factories.ProgrammeFactory(title="Women in leadership", summary="Leaders across Wales.")
    factories.ProgrammeFactory(title="Upon new directors", summary="For new directors.")
    assert sorted(_titles(client, {"q": query})) == expected


@pytest.mark.postgres
def test_an_exact_word_outranks_a_near_one(client) -> None:
    factories.ProgrammeFactory(title="Leaders in practice", summary="Practice.")
    factories.ProgrammeFactory(title="Leadership in practice", summary="Practice.")
    assert _titles(client, {"q": "leadership"}) == [
        "Leadership in practice",
        "Leaders in practice",
    ]


@pytest.mark.postgres
def test_search_syntax_turns_typo_matching_off(client) -> None:
    # A near match could otherwise bring back the programme the person excluded.
    factories.ProgrammeFactory(title="Leadership in Wales")
    factories.ProgrammeFactory(title="Leadership in England")
    assert _titles(client, {"q": "leadershp -england"}) == []
    assert _titles(client, {"q": "leadership -englnd"}) == [
        "Leadership in England",
        "Leadership in Wales",
    ]


def test_relevance_is_offered_only_when_searching(client) -> None:
    factories.ProgrammeFactory()
    assert "Best match" not in client.get(URL).content.decode()
    assert "Best match" in client.get(URL, {"q": "leadership"}).content.decode()


def test_empty_state_suggests_next_steps(client) -> None:
    factories.ProgrammeFactory(title="Something")
    body = client.get(URL, {"q": "zzzyzzx"}).content.decode()
    assert "0 programmes found" in body
    assert "No programmes match your search." in body
    assert "check the spelling" in body
    assert "see all programmes" in body


# --- Bad input: a message or an empty result, never an error --------------------------------


def test_over_long_search_is_shortened_with_a_message(client) -> None:
    factories.ProgrammeFactory(title="Resilience")
    response = client.get(URL, {"q": "resilience " + "x" * 5000})
    assert response.status_code == 200
    assert "used only its first 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"audience": "astronaut"}, "astronaut is not one of the available choices"),
        ({"provider": "no-such-provider"}, "no-such-provider is not one of the available"),
        ({"delivery": "telepathy"}, "telepathy is not one of the available choices"),
        ({"cost": "priceless"}, "priceless is not one of the available choices"),
        ({"sort": "random"}, "random is not one of the available choices"),
        ({"open_now": "perhaps"}, str(NOT_YES_OR_NO)),
        ({"starts_from": "2027-13-45"}, "Enter a valid date."),
        ({"starts_to": "yesterday"}, "Enter a valid date."),
        ({"starts_from": "2031-05-01", "starts_to": "2031-04-01"}, str(START_WINDOW_BACKWARDS)),
        ({"q": "bad\x00byte"}, "Null characters are not allowed."),
    ],
)
def test_bad_filter_values_get_a_message_and_the_rest_still_apply(client, params, message) -> None:
    factories.ProgrammeFactory(title="Online", format=DeliveryFormat.ONLINE)
    factories.ProgrammeFactory(title="Blended", format=DeliveryFormat.BLENDED)
    response = client.get(URL, {**params, "delivery": [params.get("delivery", "online")]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Some of your choices could not be used" in body
    assert message.replace("'", "&#x27;") in body
    if "delivery" not in params:
        assert _titles(client, {**params, "delivery": "online"}) == ["Online"]


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999999", "1e400", ""])
def test_odd_page_numbers_show_a_page(client, page) -> None:
    factories.ProgrammeFactory(title="Only one")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert "Only one" in response.content.decode()


def test_unpublished_programmes_never_appear_or_match(client) -> None:
    factories.CohortFactory(programme__title="Secret resilience", programme__is_published=False)
    factories.ProgrammeFactory(title="Public programme")
    assert _titles(client) == ["Public programme"]
    assert _titles(client, {"q": "secret"}) == []
    assert _titles(client, {"open_now": "true"}) == []


@pytest.mark.parametrize("count", [3, 60])
def test_filtered_search_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    provider = factories.ProviderFactory(slug="the-provider")
    for _ in range(count):
        programme = factories.ProgrammeFactory(providers=[provider])
        for cohort in factories.CohortFactory.create_batch(3, programme=programme):
            factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    params = {
        "q": "leadership",
        "audience": "senior_leader",
        "provider": "the-provider",
        "delivery": "blended",
        "cost": "paid",
        "open_now": "true",
        "places": "true",
        "starts_from": TODAY.isoformat(),
    }
    # page, counting its rows + providers + provider choices + validating the chosen provider
    with django_assert_num_queries(4 + version_reads()):
        response = client.get(URL, params)
    assert response.context["page"].paginator.count == count


@pytest.mark.postgres
@pytest.mark.parametrize("count", [3, 60])
def test_typo_search_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    for n in range(count):
        programme = factories.ProgrammeFactory(title=f"Commissioning course {n}")
        for cohort in factories.CohortFactory.create_batch(3, programme=programme):
            factories.ApplicationFactory(cohort=cohort, state="waitlisted")
    # page, counting its rows + providers + provider choices
    with django_assert_num_queries(3 + version_reads()):
        response = client.get(URL, {"q": "comissioning"})
    assert response.context["page"].paginator.count == count
