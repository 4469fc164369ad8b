"""Applications in the Django admin are for reading: state and place fields cannot be edited.

Every change of state goes through the lifecycle services, which lock the cohort, keep its
places_taken right and write the audit trail. A form that edited `state` or an offer's
dates would skip all three.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.models import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db

LIFECYCLE_FIELDS = (
    "state",
    "offered_at",
    "offer_expires_at",
    "offer_reminder_sent_at",
    "waitlisted_at",
    "waitlist_priority",
)


@pytest.fixture
def offered() -> Application:
    now = timezone.now()
    return factories.ApplicationFactory(
        state=S.OFFERED, offered_at=now, offer_expires_at=now + dt.timedelta(days=14)
    )


def _url(application: Application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


def test_change_page_shows_the_lifecycle_fields_with_no_inputs(
    admin_client_: Client, offered: Application
) -> None:
    response = admin_client_.get(_url(offered))

    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}
    page = response.content.decode()
    for name in LIFECYCLE_FIELDS:
        assert f'name="{name}"' not in page, name
        assert f"field-{name}" in page, name  # shown, read-only


def test_posting_a_new_state_or_deadline_is_refused_and_changes_nothing(
    admin_client_: Client, offered: Application
) -> None:
    before = Application.objects.values(*LIFECYCLE_FIELDS).get(pk=offered.pk)

    response = admin_client_.post(
        _url(offered),
        {
            "state": S.ENROLLED,
            "offered_at_0": "2020-01-01",
            "offered_at_1": "09:00:00",
            "offer_expires_at_0": "2099-01-01",
            "offer_expires_at_1": "09:00:00",
            "waitlist_priority": "9",
        },
    )

    assert response.status_code == 403
    assert Application.objects.values(*LIFECYCLE_FIELDS).get(pk=offered.pk) == before


def test_applications_cannot_be_added_or_deleted_in_the_admin(
    admin_client_: Client, offered: Application
) -> None:
    add = admin_client_.post(reverse("admin:applications_application_add"), {"state": S.ENROLLED})
    delete = admin_client_.post(
        reverse("admin:applications_application_delete", args=[offered.pk]), {"post": "yes"}
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Application.objects.filter(pk=offered.pk, state=S.OFFERED).exists()
