"""The demo's open offer has a real deadline, and its places are counted the one way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from applications.lifecycle import HOLDS_A_PLACE
from applications.models import Application
from applications.models import ApplicationState as S
from programmes.models import Cohort

pytestmark = pytest.mark.django_db

OFFERED_EMAIL = "grace.adeyemi@example.com"


@pytest.fixture
def loaded(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _offered() -> Application:
    return Application.objects.select_related("cohort").get(applicant__email=OFFERED_EMAIL)


def test_the_open_demo_offer_has_a_deadline_still_ahead(loaded: None) -> None:
    application = _offered()
    cohort = application.cohort
    now = timezone.now()

    assert application.state == S.OFFERED
    assert application.offered_at is not None and application.offered_at < now
    expected = application.offered_at + dt.timedelta(days=cohort.offer_deadline_days)
    if cohort.offer_cutoff_at is not None:
        expected = min(expected, cohort.offer_cutoff_at)
    assert application.offer_expires_at == expected
    assert application.offer_expires_at > now
    # The history agrees with the offer's date.
    assert application.events.get(to_state=S.OFFERED).created_at == application.offered_at


def test_the_offered_demo_applicant_is_told_the_date_to_answer_by(loaded: None) -> None:
    application = _offered()
    client = Client()
    client.force_login(User.objects.get(email=OFFERED_EMAIL))

    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert application.offer_expires_at is not None
    deadline = dateformat.format(timezone.localtime(application.offer_expires_at), "l j F Y, H:i")
    assert f"Accept or decline by <strong>{deadline}</strong>" in page


def test_people_on_demo_waiting_lists_have_the_time_they_joined(loaded: None) -> None:
    waiting = Application.objects.filter(state=S.WAITLISTED)
    assert waiting.exists()
    for application in waiting:
        joined = application.events.get(to_state=S.WAITLISTED).created_at
        assert application.waitlisted_at == joined, application


def test_running_again_recounts_places_taken_from_the_states_that_hold_one(
    loaded: None,
) -> None:
    Cohort.objects.update(places_taken=0)

    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    for cohort in Cohort.objects.all():
        held = cohort.applications.filter(state__in=HOLDS_A_PLACE).count()
        assert cohort.places_taken == held, cohort
    assert Cohort.objects.filter(places_taken__gt=0).exists()


def test_running_again_leaves_the_open_offer_as_it_was(loaded: None) -> None:
    before = Application.objects.values("offered_at", "offer_expires_at").get(
        applicant__email=OFFERED_EMAIL
    )

    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = Application.objects.values("offered_at", "offer_expires_at").get(
        applicant__email=OFFERED_EMAIL
    )
    assert after == before


def test_first_come_demo_histories_have_no_offers(loaded: None) -> None:
    from applications.models import ApplicationEvent
    from programmes.models import AdmissionMode

    assert not ApplicationEvent.objects.filter(
        application__cohort__programme__admission_mode=AdmissionMode.FIRST_COME,
        to_state="offered",
    ).exists()


def test_every_submitted_demo_application_has_a_reference(loaded: None) -> None:
    from applications.models import Application

    submitted = Application.objects.exclude(state="draft")
    assert submitted.exists()
    assert not submitted.filter(reference="").exists()
