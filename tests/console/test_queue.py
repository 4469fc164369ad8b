"""The screening queue: filters, search, sorting, paging, tags, and bad values."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services.places.errors import NOT_WAITLISTABLE
from console.forms.places import CHOOSE_IN_COHORT, REJECT_REASON_REQUIRED
from console.services import REFUSED_BECAUSE, REFUSED_NOW_IN_STATE, applications_waitlist_bulk
from console.templatetags.console_tags import STATE_BADGES
from console.views.places import REJECTED_DONE, WAITLISTED_DONE, WAITLISTED_NOT_DONE
from console.views.screening import FILTERS_IGNORED
from programmes.models import Cohort
from tests import factories

from .conftest import make_application, messages_of
from .html import attr, classes, find, find_all, own_text, page, text

pytestmark = pytest.mark.django_db


def _shown(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [application.pk for application in response.context["page"].object_list]


def _get(client, cohort, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("manage:queue", args=[cohort.pk]), params)


def test_queue_lists_submitted_applications_but_not_drafts(cohort, screener_client) -> None:
    shown = make_application(cohort, S.NEEDS_REVIEW)
    make_application(cohort, S.DRAFT)
    response = _get(screener_client, cohort)
    assert response.status_code == 200
    assert _shown(response) == [shown.pk]


def test_filters_by_state_and_outcome(cohort, manager_client) -> None:
    review = make_application(cohort, S.NEEDS_REVIEW)
    eligible = make_application(cohort, S.ELIGIBLE)
    overridden = make_application(cohort, S.ELIGIBLE, eligibility_outcome="ineligible")
    assert _shown(_get(manager_client, cohort, state="needs_review")) == [review.pk]
    assert _shown(_get(manager_client, cohort, state="eligible", outcome="eligible")) == [
        eligible.pk
    ]
    assert _shown(_get(manager_client, cohort, outcome="ineligible")) == [overridden.pk]


def test_filters_by_sector_from_the_snapshot(cohort, manager_client) -> None:
    education = make_application(cohort, snapshot={"sector": "Education"})
    make_application(cohort, snapshot={"sector": "Children's social care"})
    assert _shown(_get(manager_client, cohort, sector="education")) == [education.pk]


def test_filters_by_submitted_dates(cohort, manager_client) -> None:
    now = timezone.now()
    old = make_application(cohort, submitted_at=now - dt.timedelta(days=30))
    new = make_application(cohort, submitted_at=now)
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    until = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    assert _shown(_get(manager_client, cohort, submitted_from=since)) == [new.pk]
    assert _shown(_get(manager_client, cohort, submitted_to=until)) == [old.pk]


def test_search_by_name_or_email(cohort, manager_client) -> None:
    found = make_application(
        cohort, applicant=factories.UserFactory(full_name="Priya Patel", email="pp@example.org")
    )
    make_application(cohort, applicant=factories.UserFactory(full_name="Sam Jones"))
    assert _shown(_get(manager_client, cohort, q="patel")) == [found.pk]
    assert _shown(_get(manager_client, cohort, q="pp@example")) == [found.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"state": "nonsense"},
        {"submitted_from": "not-a-date"},
        {"submitted_from": "2030-01-01", "submitted_to": "2020-01-01"},
        {"sector": "<script>"},
        {"page": "999"},
        {"q": "x" * 500},
    ],
)
def test_bad_filter_values_are_left_out_with_a_message(cohort, manager_client, params) -> None:
    application = make_application(cohort)
    response = _get(manager_client, cohort, **params)
    assert response.status_code == 200
    assert _shown(response) == [application.pk]
    if "page" not in params:
        assert str(FILTERS_IGNORED) in messages_of(response)


def test_queue_is_paginated(cohort, manager_client) -> None:
    for _ in range(30):
        make_application(cohort)
    first = _get(manager_client, cohort)
    second = _get(manager_client, cohort, page=2)
    assert len(_shown(first)) == 25 and len(_shown(second)) == 5


def test_checkboxes_and_bulk_offer_only_for_managers(cohort, manager_client, screener_client):
    make_application(cohort)
    assert 'name="applications"' in _get(manager_client, cohort).content.decode()
    assert 'name="applications"' not in _get(screener_client, cohort).content.decode()


# --- Sorting -------------------------------------------------------------------------


def _named(cohort, name, days_ago, state=S.ELIGIBLE, outcome=None):  # type: ignore[no-untyped-def]
    return make_application(
        cohort,
        state,
        applicant=factories.UserFactory(full_name=name),
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        **({"eligibility_outcome": outcome} if outcome is not None else {}),
    )


@pytest.fixture
def three(cohort):  # type: ignore[no-untyped-def]
    """Oldest first: Cara (needs review), Abel (offered), Bea (eligible, outcome ineligible)."""
    return {
        "cara": _named(cohort, "Cara Cole", 3, S.NEEDS_REVIEW),
        "abel": _named(cohort, "abel adams", 2, S.OFFERED, "eligible"),
        "bea": _named(cohort, "Bea Brown", 1, S.ELIGIBLE, "ineligible"),
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, ["cara", "abel", "bea"]),
        ("submitted", ["cara", "abel", "bea"]),
        ("-submitted", ["bea", "abel", "cara"]),
        # Names sort as the page shows them, whatever their case.
        ("name", ["abel", "bea", "cara"]),
        ("-name", ["cara", "bea", "abel"]),
        # Automatic outcome from eligible to not eligible.
        ("outcome", ["abel", "cara", "bea"]),
        ("-outcome", ["bea", "cara", "abel"]),
        # States in lifecycle order: eligible, needs review, offered.
        ("state", ["bea", "cara", "abel"]),
        ("-state", ["abel", "cara", "bea"]),
    ],
)
def test_queue_sorts_by_each_column_both_ways(three, cohort, manager_client, sort, order):
    response = _get(manager_client, cohort, **({"sort": sort} if sort else {}))
    assert _shown(response) == [three[key].pk for key in order]


@pytest.mark.parametrize("sort", ["nonsense", "--name", "applicant__password", "", "-", "x" * 500])
def test_an_unknown_sort_is_the_default_order_and_no_error(three, cohort, manager_client, sort):
    response = _get(manager_client, cohort, sort=sort)
    assert response.status_code == 200
    assert _shown(response) == [three["cara"].pk, three["abel"].pk, three["bea"].pk]
    assert str(FILTERS_IGNORED) not in messages_of(response)


def _headers(response) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Each column heading's text, aria-sort and link, from the page's table."""
    table = find(page(response), "table", "queue")
    headers = {}
    for th in find_all(find(table, "thead"), "th"):
        links = find_all(th, "a")
        label = own_text(links[0]) if links else text(th)
        headers[label] = {
            "aria": attr(th, "aria-sort"),
            "href": attr(links[0], "href") if links else None,
        }
    return headers


def test_the_sorted_column_has_aria_sort_and_its_link_reverses_it(three, cohort, manager_client):
    headers = _headers(_get(manager_client, cohort))
    assert headers["Submitted"]["aria"] == "ascending"
    assert [h for h in headers if headers[h]["aria"]] == ["Submitted"]
    assert "sort=-submitted" in headers["Submitted"]["href"]
    assert "sort=name" in headers["Name"]["href"]
    assert headers["Email address"]["href"] is None  # not a sortable column

    headers = _headers(_get(manager_client, cohort, sort="-name"))
    assert headers["Name"]["aria"] == "descending"
    assert headers["Submitted"]["aria"] is None
    assert "sort=name" in headers["Name"]["href"] and "sort=-name" not in headers["Name"]["href"]


def test_sort_links_keep_the_filters_and_drop_the_page(three, cohort, manager_client):
    headers = _headers(_get(manager_client, cohort, state="eligible", q="bea", page="1"))
    query = parse_qs(urlsplit(headers["Name"]["href"]).query)
    assert query == {"state": ["eligible"], "q": ["bea"], "sort": ["name"]}


def test_filters_and_pages_keep_the_sort(cohort, manager_client):
    for _ in range(30):
        make_application(cohort)
    response = _get(manager_client, cohort, sort="-name", state="eligible")
    root = page(response)
    hidden = [
        i
        for i in find_all(find(root, "form", "queue-filters"), "input")
        if attr(i, "name") == "sort"
    ]
    assert [attr(i, "value") for i in hidden] == ["-name"]
    next_page = attr(find(find(root, "ul", "pagination"), "a"), "href")
    assert parse_qs(urlsplit(next_page).query) == {
        "sort": ["-name"], "state": ["eligible"], "page": ["2"]
    }  # fmt: skip


def test_a_sorted_second_page_continues_the_first(cohort, manager_client):
    made = [make_application(cohort, applicant=factories.UserFactory(full_name=f"P{i:02}"))
            for i in range(30)]  # fmt: skip
    first = _shown(_get(manager_client, cohort, sort="-name"))
    second = _shown(_get(manager_client, cohort, sort="-name", page=2))
    assert first + second == [a.pk for a in reversed(made)]


# --- Columns, tags and assignment --------------------------------------------------------


def test_rows_show_reference_local_authority_and_who_is_assigned(cohort, manager, manager_client):
    person = factories.UserFactory(full_name="Lee Lewis")
    factories.ProfileFactory(
        user=person, local_authority=factories.LocalAuthorityFactory(name="Cardiff")
    )
    make_application(cohort, applicant=person, reference="LP-ABC123", assigned_to=manager)
    row = find(find(find(page(_get(manager_client, cohort)), "table", "queue"), "tbody"), "tr")
    for expected in ["Lee Lewis", "LP-ABC123", "Cardiff", "Morgan Manager"]:
        assert expected in text(row)


@pytest.mark.parametrize("state", [s for s in S.values if s != S.DRAFT])
def test_every_state_is_a_tag_with_words_and_a_colour(cohort, manager_client, state) -> None:
    make_application(cohort, state)
    tag = find(find(page(_get(manager_client, cohort)), "table", "queue"), "span", "state-tag")
    assert attr(tag, "data-state") == state
    assert text(tag) == S(state).label
    assert "badge" in classes(tag) and any(c.startswith("text-bg-") for c in classes(tag))


def test_every_state_has_its_own_badge_mapping() -> None:
    assert set(STATE_BADGES) == set(S.values)


def test_assigned_to_me_and_unassigned_filters(cohort, manager, screener, manager_client):
    mine = make_application(cohort, assigned_to=manager)
    make_application(cohort, assigned_to=screener)
    nobodys = make_application(cohort)
    assert _shown(_get(manager_client, cohort, assigned="me")) == [mine.pk]
    assert _shown(_get(manager_client, cohort, assigned="nobody")) == [nobodys.pk]
    assert len(_shown(_get(manager_client, cohort, assigned=""))) == 3


def test_the_count_of_screened_applications_agrees_with_its_noun(cohort, manager_client):
    make_application(cohort)
    text = " ".join(_get(manager_client, cohort).content.decode().split())
    assert "0 of 1 application screened by a person" in text
    make_application(cohort)
    text = " ".join(_get(manager_client, cohort).content.decode().split())
    assert "0 of 2 applications screened by a person" in text


# --- Bulk waiting list and turning down ---------------------------------------------------


def _bulk(client, cohort, action, applications, **extra):  # type: ignore[no-untyped-def]
    data = {"action": action, "applications": [getattr(a, "pk", a) for a in applications]}
    return client.post(reverse("manage:bulk_change", args=[cohort.pk]), {**data, **extra})


def _reject(client, cohort, applications, reason="Not enough senior experience"):  # type: ignore[no-untyped-def]
    return _bulk(client, cohort, "reject", applications, confirmed="yes", reason=reason)


def _states(*applications) -> list[str]:  # type: ignore[no-untyped-def]
    return [Application.objects.get(pk=a.pk).state for a in applications]


def _snapshot() -> tuple[Any, ...]:
    """Everything a bulk change could write: states, history, emails, places."""
    return (
        sorted(Application.objects.values_list("pk", "state", "waitlisted_at")),
        ApplicationEvent.objects.count(),
        Email.objects.count(),
        sorted(Cohort.objects.values_list("pk", "places_taken")),
    )


def test_bulk_waiting_list_moves_everyone_chosen_and_says_so(cohort, manager_client):
    chosen = [make_application(cohort, S.ELIGIBLE), make_application(cohort, S.NEEDS_REVIEW)]
    response = _bulk(manager_client, cohort, "waitlist", chosen)
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:queue", args=[cohort.pk])
    assert _states(*chosen) == [S.WAITLISTED, S.WAITLISTED]
    assert str(WAITLISTED_DONE % {"count": 2}) in messages_of(response)
    assert "2 people moved to the waiting list" in messages_of(response)[0]
    # Each went through waitlist_add: its history entry and its email.
    for application in chosen:
        assert application.events.filter(to_state=S.WAITLISTED, actor__isnull=False).count() == 1
        assert Email.objects.filter(to__icontains=application.applicant.email).count() == 1


def test_bulk_waiting_list_reports_each_person_it_could_not_move(cohort, manager_client):
    """A stale tab: one of them was offered a place meanwhile. The others still move."""
    moved = [make_application(cohort), make_application(cohort)]
    sam = make_application(
        cohort, S.OFFERED, applicant=factories.UserFactory(full_name="Sam Smith")
    )
    before = sam.events.count()
    response = _bulk(manager_client, cohort, "waitlist", [*moved, sam])
    assert response.status_code == 302
    assert _states(*moved, sam) == [S.WAITLISTED, S.WAITLISTED, S.OFFERED]
    assert sam.events.count() == before
    assert not Email.objects.filter(to__icontains=sam.applicant.email).exists()
    shown = messages_of(response)
    reason = str(REFUSED_NOW_IN_STATE % {"name": "Sam Smith", "state": "Offered a place"})
    assert str(WAITLISTED_DONE % {"count": 2}) in shown
    assert str(WAITLISTED_NOT_DONE % {"count": 1, "reasons": reason}) in shown
    assert (
        "1 person was not moved to the waiting list: "
        "Sam Smith: the application is now “Offered a place”."
    ) in shown


def test_a_replayed_bulk_post_changes_nothing_the_second_time(cohort, manager_client):
    chosen = [make_application(cohort), make_application(cohort)]
    _bulk(manager_client, cohort, "waitlist", chosen)
    _get(manager_client, cohort)  # the first summary is read
    before = _snapshot()
    response = _bulk(manager_client, cohort, "waitlist", chosen)
    assert response.status_code == 302
    assert _snapshot() == before
    assert not any("moved to the waiting list. We" in m for m in messages_of(response))
    assert "2 people were not moved" in messages_of(response)[0]


@pytest.mark.parametrize("state", [S.ENROLLED, S.WITHDRAWN, S.INELIGIBLE, S.SUBMITTED, S.COMPLETED])
@pytest.mark.parametrize("action", ["waitlist", "reject"])
def test_bulk_refuses_states_the_page_offers_no_checkbox_for(cohort, manager_client, state, action):
    application = make_application(cohort, state)
    before = _snapshot()
    if action == "reject":
        response = _reject(manager_client, cohort, [application])
    else:
        response = _bulk(manager_client, cohort, action, [application])
    assert response.status_code == 302
    assert _snapshot() == before
    assert any("not" in m and str(S(state).label) in m for m in messages_of(response))


def _other_cohort(cohort):  # type: ignore[no-untyped-def]
    return factories.CohortFactory(programme=cohort.programme, capacity=5)


@pytest.mark.parametrize(
    "bad",
    ["other_cohort", "other_programme", "draft", "not-a-number", "0", "-5",
     "99999999999999999999", "٣", "999999"],
)  # fmt: skip
@pytest.mark.parametrize("action", ["waitlist", "reject"])
def test_bulk_with_an_id_outside_this_cohort_is_a_400_and_changes_nothing(
    cohort, manager_client, bad, action
):
    good = make_application(cohort)
    if bad == "other_cohort":
        value: Any = make_application(_other_cohort(cohort)).pk
    elif bad == "other_programme":
        value = make_application(factories.CohortFactory()).pk
    elif bad == "draft":
        value = make_application(cohort, S.DRAFT).pk
    else:
        value = bad
    before = _snapshot()
    if action == "reject":
        response = _reject(manager_client, cohort, [good, value])
    else:
        response = _bulk(manager_client, cohort, action, [good, value])
    assert response.status_code == 400
    assert str(CHOOSE_IN_COHORT) in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "waitlist"}, {"action": "offer", "applications": ["1"]},
     {"action": "", "applications": ["1"]}],
)  # fmt: skip
def test_bulk_without_people_or_a_known_action_is_a_400(cohort, manager_client, data):
    application = make_application(cohort)
    if "applications" in data:
        data = {**data, "applications": [application.pk]}
    before = _snapshot()
    response = manager_client.post(reverse("manage:bulk_change", args=[cohort.pk]), data)
    assert response.status_code == 400
    assert _snapshot() == before


def test_bulk_is_for_managers_only(cohort, screener_client, other_manager):
    application = make_application(cohort)
    before = _snapshot()
    assert _bulk(screener_client, cohort, "waitlist", [application]).status_code == 403
    assert _reject(screener_client, cohort, [application]).status_code == 403
    elsewhere = Client()
    elsewhere.force_login(other_manager)
    assert _bulk(elsewhere, cohort, "waitlist", [application]).status_code == 404
    assert _snapshot() == before


def test_bulk_turn_down_asks_for_a_reason_and_confirmation_first(cohort, manager_client):
    chosen = [make_application(cohort), make_application(cohort, S.WAITLISTED)]
    before = _snapshot()
    response = _bulk(manager_client, cohort, "reject", chosen)
    assert response.status_code == 200
    assert _snapshot() == before
    root = page(response)
    assert text(find(root, "h1")) == "Turn down 2 applications"
    form = find(root, "form", "bulk-reject-form")
    posted = [
        attr(i, "value") for i in find_all(form, "input") if attr(i, "name") == "applications"
    ]
    assert posted == [str(a.pk) for a in chosen]
    assert find_all(form, "textarea")


def test_bulk_turn_down_without_a_reason_is_a_400_and_changes_nothing(cohort, manager_client):
    chosen = [make_application(cohort)]
    before = _snapshot()
    response = _reject(manager_client, cohort, chosen, reason="   ")
    assert response.status_code == 400
    assert str(REJECT_REASON_REQUIRED) in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert _snapshot() == before


def test_bulk_turn_down_emails_each_person_the_reason(cohort, manager_client):
    chosen = [make_application(cohort), make_application(cohort, S.WAITLISTED)]
    offered = make_application(
        cohort, S.OFFERED, applicant=factories.UserFactory(full_name="Sam Smith")
    )
    response = _reject(manager_client, cohort, [*chosen, offered], reason="The cohort is for DCSs.")
    assert response.status_code == 302
    assert _states(*chosen, offered) == [S.REJECTED, S.REJECTED, S.OFFERED]
    for application in chosen:
        assert application.events.get(to_state=S.REJECTED).reason == "The cohort is for DCSs."
        (email,) = Email.objects.filter(to__icontains=application.applicant.email)
        assert "The cohort is for DCSs." in email.message
    shown = messages_of(response)
    assert str(REJECTED_DONE % {"count": 2}) in shown
    assert any(m.startswith("1 application was not turned down: Sam Smith") for m in shown)


def test_a_replayed_bulk_turn_down_sends_no_second_email(cohort, manager_client):
    chosen = [make_application(cohort)]
    _reject(manager_client, cohort, chosen)
    before = _snapshot()
    assert _reject(manager_client, cohort, chosen).status_code == 302
    assert _snapshot() == before


def test_bulk_goes_through_the_single_application_services(cohort, manager, monkeypatch):
    """Not a path of its own: each person is one call of the service a single change uses."""
    import console.services as console_services

    calls: list[int] = []
    real = console_services.waitlist_add

    def spy(*, application, by, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(application.pk)
        return real(application=application, by=by, **kwargs)

    monkeypatch.setattr(console_services, "waitlist_add", spy)
    chosen = [make_application(cohort) for _ in range(3)]
    outcome = applications_waitlist_bulk(applications=list(reversed(chosen)), by=manager)
    assert calls == sorted(a.pk for a in chosen)  # in id order, the order locks are taken in
    assert len(outcome.done) == 3 and outcome.refused == []


def test_queue_offers_the_bulk_buttons_to_managers_only(cohort, manager_client, screener_client):
    make_application(cohort)
    manager_html = _get(manager_client, cohort).content.decode()
    assert 'value="waitlist"' in manager_html and 'value="reject"' in manager_html
    screener_html = _get(screener_client, cohort).content.decode()
    assert 'name="action"' not in screener_html


def test_a_refusal_for_another_reason_than_the_state_gives_the_services_reason(manager_client):
    """A first-come cohort has no team-made waiting list: the state is fine, the mode is not."""
    cohort = factories.CohortFactory(programme__admission_mode="first_come")
    manager = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=manager, programme=cohort.programme, role="manager")
    client = Client()
    client.force_login(manager)
    application = make_application(
        cohort, S.ELIGIBLE, applicant=factories.UserFactory(full_name="Pat Park")
    )
    before = _snapshot()
    response = _bulk(client, cohort, "waitlist", [application])
    assert response.status_code == 302
    assert _snapshot() == before
    reason = str(REFUSED_BECAUSE % {"name": "Pat Park", "reason": NOT_WAITLISTABLE})
    assert str(WAITLISTED_NOT_DONE % {"count": 1, "reasons": reason}) in messages_of(response)
    assert 'value="waitlist"' not in _get(client, cohort).content.decode()


# --- Bulk assignment --------------------------------------------------------------------


def _assign_bulk(client, cohort, applications, to):  # type: ignore[no-untyped-def]
    value = "" if to is None else str(getattr(to, "pk", to))
    return _bulk(client, cohort, "assign", applications, **{"assign-assigned_to": value})


def test_bulk_assign_gives_the_people_chosen_to_one_team_member(cohort, screener, manager_client):
    chosen = [make_application(cohort), make_application(cohort, S.ENROLLED)]
    response = _assign_bulk(manager_client, cohort, chosen, screener)
    assert response.status_code == 302
    assert [Application.objects.get(pk=a.pk).assigned_to for a in chosen] == [screener] * 2
    assert "2 applications assigned to Sam Screener." in messages_of(response)
    _get(manager_client, cohort)
    response = _assign_bulk(manager_client, cohort, chosen, None)
    assert "2 applications are now assigned to nobody." in messages_of(response)
    assert not Application.objects.filter(assigned_to__isnull=False).exists()


@pytest.mark.parametrize("who", ["outsider", "abc", "99999999999999999999"])
def test_bulk_assign_to_someone_outside_the_team_is_a_400(cohort, manager_client, who):
    application = make_application(cohort)
    to = factories.UserFactory() if who == "outsider" else who
    before = _snapshot()
    response = _assign_bulk(manager_client, cohort, [application], to)
    assert response.status_code == 400
    assert _snapshot() == before
    assert Application.objects.get(pk=application.pk).assigned_to is None


def test_bulk_assign_is_for_managers_only(cohort, screener, screener_client):
    application = make_application(cohort)
    assert _assign_bulk(screener_client, cohort, [application], screener).status_code == 403
    assert Application.objects.get(pk=application.pk).assigned_to is None
