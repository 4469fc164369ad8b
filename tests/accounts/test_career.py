"""Career history: add, change, remove; only one's own; years of senior experience shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms import DATE_INVALID
from accounts.models import CareerEntry, Seniority
from accounts.selectors import senior_experience_years
from accounts.services import END_BEFORE_START, END_IN_FUTURE, START_IN_FUTURE
from tests import factories
from tests.queries import session_reads

from .dates import date_parts, with_date_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):  # type: ignore[no-untyped-def]
    user = factories.UserFactory()
    client.force_login(user)
    return user


def _data(**overrides: object) -> dict[str, object]:
    return with_date_parts(
        {
            "role_title": "Assistant director",
            "organisation": "Testshire County Council",
            "sector": "childrens_social_care",
            "seniority": Seniority.SENIOR_STRATEGIC,
            "started_on": "2019-04-01",
            "ended_on": "2021-03-31",
            **overrides,
        },
        "started_on",
        "ended_on",
    )


def test_add_change_and_remove_a_role(client, applicant) -> None:
    added = client.post(reverse("accounts:career_add"), _data())
    assert added.status_code == 302 and added.url == reverse("accounts:career")
    entry = CareerEntry.objects.get(user=applicant)
    assert (entry.started_on, entry.ended_on) == (dt.date(2019, 4, 1), dt.date(2021, 3, 31))

    edit_url = reverse("accounts:career_edit", kwargs={"pk": entry.pk})
    edit_page = client.get(edit_url).content.decode()
    assert 'name="started_on_day" value="1"' in edit_page
    assert 'name="started_on_month" value="4"' in edit_page
    assert 'name="started_on_year" value="2019"' in edit_page
    client.post(edit_url, _data(role_title="Deputy director", ended_on=""))
    entry.refresh_from_db()
    assert (entry.role_title, entry.ended_on) == ("Deputy director", None)

    delete_url = reverse("accounts:career_delete", kwargs={"pk": entry.pk})
    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and "Deputy director" in confirm.content.decode()
    assert CareerEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(delete_url).status_code == 302
    assert not CareerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("name", ["accounts:career_edit", "accounts:career_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_role_is_not_found(client, applicant, name, method) -> None:
    theirs = factories.CareerEntryFactory(role_title="Director")

    response = getattr(client, method)(reverse(name, kwargs={"pk": theirs.pk}), _data())

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role_title == "Director"


def test_career_list_shows_only_ones_own_roles_most_recent_first(client, applicant) -> None:
    factories.CareerEntryFactory(
        user=applicant,
        role_title="Older role",
        started_on=dt.date(2010, 1, 1),
        ended_on=dt.date(2012, 1, 1),
    )
    factories.CareerEntryFactory(
        user=applicant, role_title="Newer role", started_on=dt.date(2015, 1, 1)
    )
    factories.CareerEntryFactory(role_title="Somebody else's role")

    body = client.get(reverse("accounts:career")).content.decode()

    assert body.index("Newer role") < body.index("Older role")
    assert "Somebody else" not in body


@pytest.mark.parametrize(
    ("started_on", "ended_on", "field", "message"),
    [
        ("2021-01-01", "2020-12-31", "ended_on", END_BEFORE_START),
        ("future", "", "started_on", START_IN_FUTURE),
        ("2020-01-01", "future", "ended_on", END_IN_FUTURE),
        ("2020-02-30", "", "started_on", DATE_INVALID),
        ("not a date", "", "started_on", DATE_INVALID),
    ],
)
def test_dates_are_checked_and_errors_keep_what_was_typed(
    client, applicant, started_on, ended_on, field, message
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    started_on = tomorrow if started_on == "future" else started_on
    ended_on = tomorrow if ended_on == "future" else ended_on

    response = client.post(
        reverse("accounts:career_add"),
        _data(started_on=started_on, ended_on=ended_on, organisation="Family Voices"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(message)]
    body = response.content.decode()
    assert f'href="#id_{field}_day"' in body
    assert 'value="Family Voices"' in body
    for box, typed in date_parts("started_on", started_on).items():
        assert f'name="{box}" value="{typed}"' in body or not typed
    assert not CareerEntry.objects.exists()


def test_day_month_year_typed_without_a_date_picker_is_understood(client, applicant) -> None:
    client.post(
        reverse("accounts:career_add"), _data(started_on="01/04/2019", ended_on="31/3/2021")
    )
    entry = CareerEntry.objects.get()
    assert (entry.started_on, entry.ended_on) == (dt.date(2019, 4, 1), dt.date(2021, 3, 31))


def test_senior_years_count_overlapping_roles_once_and_are_shown(client, applicant) -> None:
    # Two overlapping senior strategic roles covering 2018-01-01 to 2020-12-31 (3 years),
    # and a middle-management role that does not count.
    factories.CareerEntryFactory(
        user=applicant, started_on=dt.date(2018, 1, 1), ended_on=dt.date(2019, 12, 31)
    )
    factories.CareerEntryFactory(
        user=applicant, started_on=dt.date(2019, 1, 1), ended_on=dt.date(2020, 12, 31)
    )
    factories.CareerEntryFactory(
        user=applicant,
        seniority=Seniority.MIDDLE_MANAGEMENT,
        started_on=dt.date(2012, 1, 1),
        ended_on=dt.date(2017, 12, 31),
    )

    assert senior_experience_years(user=applicant, today=dt.date(2025, 1, 1)) == 3.0
    for url in (reverse("accounts:career"), reverse("accounts:home")):
        body = client.get(url).content.decode()
        assert "3.0 years" in body
        assert "If two roles overlap, that time is counted once." in body


# The session (unless Redis keeps it), then the user and the page's own reads: profile (with
# its council) and the career history; the account home also checks once whether to link to
# the staff console.
@pytest.mark.parametrize(("url", "queries"), [("/account/", 4), ("/account/career/", 2)])
@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_the_career_history(
    client, applicant, url, queries, rows, django_assert_num_queries
) -> None:
    factories.ProfileFactory(user=applicant)
    factories.CareerEntryFactory.create_batch(rows, user=applicant)

    with django_assert_num_queries(session_reads() + queries):
        response = client.get(url)

    assert response.status_code == 200
    assert CareerEntry.objects.filter(user=applicant).count() == rows
