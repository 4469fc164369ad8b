"""The screening queue: filters, search, paging, and bad filter values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState as S
from console.views.screening import FILTERS_IGNORED
from tests import factories

from .conftest import make_application, messages_of

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
