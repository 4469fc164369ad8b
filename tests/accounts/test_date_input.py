"""Dates as day, month and year boxes (accounts/widgets.py), and the bounds on career dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from accounts.forms import DATE_TOO_EARLY, CareerEntryForm
from accounts.models import CareerEntry, Sector, Seniority
from accounts.services import START_IN_FUTURE
from accounts.widgets import DATE_INVALID, DATE_REQUIRED, DayMonthYearField
from tests import factories

from .dates import date_parts, with_date_parts


class OneDate(forms.Form):
    when = DayMonthYearField(label="When did it start?", help_text="For example, 27 3 2019.")


class OptionalDate(forms.Form):
    when = DayMonthYearField(label="When?", required=False)


def test_three_boxes_make_a_date() -> None:
    form = OneDate({"when_day": "7", "when_month": "03", "when_year": "2019"})
    assert form.is_valid()
    assert form.cleaned_data["when"] == dt.date(2019, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("31", "2", "2020"),
        ("x", "3", "2019"),
        ("1", "", "2019"),
        ("1", "3", "19"),
        ("", "", "2019"),
    ],
)
def test_an_unreal_or_partial_date_gets_one_error_for_the_whole_date(day, month, year) -> None:
    form = OneDate({"when_day": day, "when_month": month, "when_year": year})
    assert not form.is_valid()
    assert form.errors["when"] == [str(DATE_INVALID)]


def test_required_and_optional() -> None:
    assert OneDate({}).errors["when"] == [str(DATE_REQUIRED)]
    optional = OptionalDate({"when_day": "", "when_month": "", "when_year": ""})
    assert optional.is_valid() and optional.cleaned_data["when"] is None


def test_renders_numeric_text_boxes_in_one_fieldset_with_a_legend() -> None:
    form = OneDate(initial={"when": dt.date(2019, 3, 7)})
    html = str(form["when"])
    assert html.count('inputmode="numeric"') == 3
    assert 'type="date"' not in html
    for part, value in (("day", "7"), ("month", "3"), ("year", "2019")):
        assert f'name="when_{part}"' in html and f'value="{value}"' in html
        assert f'<label class="form-label mb-1" for="id_when_{part}">' in html
    assert form["when"].use_fieldset
    assert form["when"].id_for_label == "id_when_day"


def test_typed_boxes_are_shown_again_after_an_error() -> None:
    form = OneDate({"when_day": "31", "when_month": "2", "when_year": "2020"})
    html = str(form["when"])
    assert 'value="31"' in html and 'value="2"' in html and 'value="2020"' in html
    assert 'aria-invalid="true"' in html


def _career(**overrides: object) -> dict[str, object]:
    return with_date_parts(
        {
            "role_title": "Assistant director",
            "organisation": "Testshire County Council",
            "sector": Sector.CHILDRENS_SOCIAL_CARE,
            "seniority": Seniority.SENIOR_STRATEGIC,
            "started_on": "2019-04-01",
            "ended_on": "",
            **overrides,
        },
        "started_on",
        "ended_on",
    )


def test_career_dates_before_1960_are_refused() -> None:
    form = CareerEntryForm(_career(started_on="1959-12-31"))
    assert form.errors["started_on"] == [str(DATE_TOO_EARLY)]
    assert CareerEntryForm(_career(started_on="1960-01-01")).is_valid()
    late = CareerEntryForm(_career(ended_on="1901-01-01"))
    assert late.errors["ended_on"] == [str(DATE_TOO_EARLY)]


def test_career_dates_in_the_future_are_refused_by_the_form() -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    form = CareerEntryForm(_career(started_on=tomorrow))
    assert form.errors["started_on"] == [str(START_IN_FUTURE)]


@pytest.mark.django_db
def test_career_page_uses_the_boxes_in_a_fieldset_and_links_errors_to_the_day(client) -> None:
    client.force_login(factories.UserFactory())
    response = client.post(reverse("accounts:career_add"), _career(started_on="1950-05-01"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<legend class="form-label fs-6 fw-bold mb-1">Start date</legend>' in body
    assert 'href="#id_started_on_day"' in body
    assert body.count(str(DATE_TOO_EARLY)) == 2  # the summary and the field, nowhere else
    assert 'type="date"' not in body
    assert not CareerEntry.objects.exists()
    assert date_parts("started_on", "1950-05-01")["started_on_year"] == "1950"


@pytest.mark.django_db
def test_profile_role_since_uses_the_boxes(client) -> None:
    client.force_login(factories.UserFactory())
    body = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="current_role_since_day"' in body and 'type="date"' not in body


@pytest.mark.django_db
def test_account_page_explains_total_years_and_what_a_programme_counts(client) -> None:
    user = factories.UserFactory()
    factories.CareerEntryFactory(
        user=user,
        sector=Sector.CHILDRENS_SOCIAL_CARE,
        started_on=dt.date(2016, 1, 1),
        ended_on=dt.date(2017, 12, 31),
    )
    factories.CareerEntryFactory(
        user=user,
        sector=Sector.HEALTH,
        started_on=dt.date(2018, 1, 1),
        ended_on=dt.date(2018, 12, 31),
    )
    client.force_login(user)
    for url in (reverse("accounts:home"), reverse("accounts:career")):
        body = client.get(url).content.decode()
        assert "3.0 years" in body  # the total, every sector
        assert "Children&#x27;s social care" in body and "2.0 years" in body
        assert "Health" in body and "0.9 years" in body
        assert "many count only roles in the sectors they accept" in body
