"""The programme page: cohorts with availability and one call to action per state; feeds."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from programmes import actions
from programmes.models import AdmissionMode, Cohort, CostType
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _row(client, cohort: Cohort) -> str:
    body = client.get(cohort.programme.get_absolute_url()).content.decode()
    match = re.search(rf'<tr data-cohort="{cohort.pk}".*?</tr>', body, re.S)
    assert match, "cohort row missing"
    return match.group(0)


def _action(client, cohort: Cohort) -> str:
    cell = re.search(r'<td class="cohort-action"[^>]*>(.*?)</td>', _row(client, cohort), re.S)
    assert cell
    return cell.group(1)


def _apply_link(cohort: Cohort) -> str:
    return f'href="/account/applications/new/{cohort.pk}/"'


def test_selective_open_cohort_says_apply(client) -> None:
    cohort = factories.CohortFactory(programme__admission_mode=AdmissionMode.SELECTIVE)
    cell = _action(client, cohort)
    assert f">{actions.APPLY} <" in cell
    assert _apply_link(cohort) in cell


def test_selective_full_cohort_still_says_apply_and_explains(client) -> None:
    cohort = factories.CohortFactory(programme__admission_mode=AdmissionMode.SELECTIVE, capacity=3)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=3)
    cell = _action(client, cohort)
    assert f">{actions.APPLY} <" in cell and _apply_link(cohort) in cell
    assert "waiting list" in cell


def test_first_come_with_places_says_book_a_place(client) -> None:
    cohort = factories.CohortFactory(programme__admission_mode=AdmissionMode.FIRST_COME)
    cell = _action(client, cohort)
    assert f">{actions.BOOK} <" in cell
    assert _apply_link(cohort) in cell


def test_first_come_full_says_join_the_waiting_list(client) -> None:
    cohort = factories.CohortFactory(programme__admission_mode=AdmissionMode.FIRST_COME, capacity=2)
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=2)
    cell = _action(client, cohort)
    assert f">{actions.JOIN_WAITING_LIST} <" in cell
    assert _apply_link(cohort) in cell


def test_invitation_only_has_no_button(client) -> None:
    cohort = factories.CohortFactory(programme__admission_mode=AdmissionMode.INVITATION)
    cell = _action(client, cohort)
    assert str(actions.BY_INVITATION) in cell
    assert "href" not in cell


def test_not_yet_open_gives_the_opening_date(client) -> None:
    opens = timezone.make_aware(dt.datetime(2031, 3, 4, 9, 0))
    cohort = factories.CohortFactory(
        starts_on=dt.date(2031, 9, 1),
        applications_open_at=opens,
        applications_close_at=opens + 30 * DAY,
    )
    cell = _action(client, cohort)
    assert "Applications open 4 March 2031" in cell
    assert "href" not in cell


def test_no_window_yet_says_not_open_yet(client) -> None:
    cohort = factories.CohortFactory(applications_open_at=None, applications_close_at=None)
    cell = _action(client, cohort)
    assert str(actions.NOT_OPEN_YET) in cell and "href" not in cell


def test_closed_window_says_applications_closed(client) -> None:
    cohort = factories.CohortFactory(
        applications_open_at=NOW - 20 * DAY, applications_close_at=NOW - DAY
    )
    cell = _action(client, cohort)
    assert str(actions.CLOSED) in cell and "href" not in cell


def test_started_cohort_says_applications_closed(client) -> None:
    cohort = factories.CohortFactory(starts_on=TODAY - 2 * DAY, ends_on=TODAY + 60 * DAY)
    cell = _action(client, cohort)
    assert str(actions.CLOSED) in cell and "href" not in cell


def test_table_shows_capacity_places_left_and_waiting_list(client) -> None:
    cohort = factories.CohortFactory(capacity=25, venue="Leeds")
    Cohort.objects.filter(pk=cohort.pk).update(places_taken=25)
    factories.ApplicationFactory.create_batch(4, cohort=cohort, state="waitlisted")
    cells = re.findall(r'<td class="text-end"[^>]*>(.*?)</td>', _row(client, cohort), re.S)
    # Each cell starts with its label for the stacked small-screen layout.
    values = [re.sub(r'<span class="cell-label"[^>]*>.*?</span>', "", c).strip() for c in cells]
    assert values == ["25", "0", "4 people"]


def test_finished_cohorts_are_listed_apart(client) -> None:
    programme = factories.ProgrammeFactory()
    old = factories.CohortFactory(
        programme=programme,
        name="First cohort",
        starts_on=dt.date(2020, 11, 1),
        ends_on=dt.date(2021, 6, 30),
        applications_open_at=None,
        applications_close_at=None,
    )
    body = client.get(programme.get_absolute_url()).content.decode()
    assert f'data-cohort="{old.pk}"' not in body
    assert "1 past cohort" in body and "First cohort" in body


def test_eligibility_summary_shows_nothing_without_rules(client) -> None:
    programme = factories.ProgrammeFactory()
    body = client.get(programme.get_absolute_url()).content.decode()
    assert "Who can apply" not in body


# --- Tell me about future dates --------------------------------------------------------------


def test_future_dates_form_is_offered_when_no_cohort_is_open(client) -> None:
    closed = factories.CohortFactory(
        applications_open_at=NOW - 20 * DAY, applications_close_at=NOW - DAY
    )
    body = client.get(closed.programme.get_absolute_url()).content.decode()
    assert "Tell me about future dates" in body
    assert reverse("programmes:future_dates", kwargs={"slug": closed.programme.slug}) in body


def test_future_dates_form_is_not_offered_when_a_cohort_is_open(client) -> None:
    cohort = factories.CohortFactory()
    body = client.get(cohort.programme.get_absolute_url()).content.decode()
    assert "Tell me about future dates" not in body


# --- Unpublished programmes -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["programmes:detail", "programmes:cohorts_ics"])
def test_unpublished_programme_pages_and_feeds_are_not_found(client, name) -> None:
    draft = factories.CohortFactory(programme__is_published=False).programme
    assert client.get(reverse(name, kwargs={"slug": draft.slug})).status_code == 404


def test_future_dates_sign_up_is_not_found_for_unpublished_programmes(client) -> None:
    draft = factories.ProgrammeFactory(is_published=False)
    url = reverse("programmes:future_dates", kwargs={"slug": draft.slug})
    response = client.post(url, {"email": "a@example.org", "consent": "on"})
    assert response.status_code == 404


# --- JSON-LD -------------------------------------------------------------------------------


def test_programme_page_has_course_json_ld(client) -> None:
    funder = factories.ProviderFactory(name="Department for Education", slug="dfe")
    cohort = factories.CohortFactory(
        name="Spring 2031",
        starts_on=dt.date(2031, 3, 1),
        ends_on=dt.date(2031, 9, 30),
        capacity=40,
        venue="Leeds",
        programme__title="Upon </script> aspiring",
        programme__cost_type=CostType.FUNDED,
        programme__cost_amount=None,
        programme__funder=funder,
        programme__accreditation="PG Cert",
    )
    body = client.get(cohort.programme.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert raw, "JSON-LD missing"
    assert "</script> aspiring" not in raw.group(1)
    data = json.loads(raw.group(1))
    assert data["@type"] == "Course"
    assert data["name"] == "Upon </script> aspiring"
    assert data["offers"][0]["category"] == "Free"
    assert data["funder"]["name"] == "Department for Education"
    assert data["educationalCredentialAwarded"] == "PG Cert"
    [instance] = data["hasCourseInstance"]
    assert instance == {
        "@type": "CourseInstance",
        "name": "Spring 2031",
        "courseMode": "Blended",
        "startDate": "2031-03-01",
        "endDate": "2031-09-30",
        "maximumAttendeeCapacity": 40,
        "location": "Leeds",
    }


# --- iCalendar -----------------------------------------------------------------------------


def test_cohorts_ics_has_one_all_day_event_per_cohort(client) -> None:
    programme = factories.ProgrammeFactory(title="Women in Leadership")
    first = factories.CohortFactory(
        programme=programme,
        name="October 2031",
        starts_on=dt.date(2031, 10, 9),
        ends_on=dt.date(2031, 10, 10),
        venue="Windsor",
    )
    factories.CohortFactory(programme=programme, name="March 2032")
    response = client.get(reverse("programmes:cohorts_ics", kwargs={"slug": programme.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    event = next(e for e in events if "October 2031" in str(e["SUMMARY"]))
    assert str(event["SUMMARY"]) == "Women in Leadership: October 2031"
    assert event.decoded("DTSTART") == dt.date(2031, 10, 9)
    # All-day events end the day after the last day.
    assert event.decoded("DTEND") == dt.date(2031, 10, 11)
    assert str(event["LOCATION"]) == "Windsor"
    assert str(event["UID"]).startswith(f"cohort-{first.pk}@")
    assert programme.get_absolute_url() in str(event["URL"])


@pytest.mark.parametrize("cohorts", [3, 60])
def test_cohorts_ics_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, cohorts
) -> None:
    programme = factories.ProgrammeFactory()
    factories.CohortFactory.create_batch(cohorts, programme=programme)
    # programme + providers + cohorts with availability
    with django_assert_num_queries(3):
        client.get(reverse("programmes:cohorts_ics", kwargs={"slug": programme.slug}))


def test_eligibility_summary_lists_active_rules_and_links_the_checker(client) -> None:
    programme = factories.ProgrammeFactory()
    factories.EligibilityRuleFactory(programme=programme, message="Works in Wales", position=2)
    factories.EligibilityRuleFactory(programme=programme, message="Three years senior", position=1)
    factories.EligibilityRuleFactory(programme=programme, message="Retired rule", is_active=False)
    body = client.get(programme.get_absolute_url()).content.decode()
    assert "Who can apply" in body
    assert body.index("Three years senior") < body.index("Works in Wales")
    assert "Retired rule" not in body
    assert f"/programmes/{programme.slug}/am-i-eligible/" in body
