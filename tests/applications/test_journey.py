"""The applicant's journey: landing on the dashboard, the reference, the confirmation page."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from applications import user_text
from applications.models import Application
from applications.models import ApplicationState as S
from applications.selectors import applicant_dashboard
from applications.services import places
from applications.services.submission import REFERENCE_ALPHABET, application_submit
from applications.services.withdrawal import application_withdraw
from applications.user_text import NEXT_STEPS
from tests import factories
from tests.queries import session_reads

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(rf"^LP-[{REFERENCE_ALPHABET}]{{6}}$")


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


# --- Signing in lands on the dashboard -----------------------------------------


def test_signing_in_lands_on_the_dashboard_and_next_still_wins(client) -> None:
    user = factories.UserFactory()
    login = reverse("accounts:login")
    response = client.post(login, {"username": user.email, "password": factories.PASSWORD})
    assert response.url == reverse("applications:list")
    client.logout()
    response = client.post(
        f"{login}?next=/account/career/",
        {"username": user.email, "password": factories.PASSWORD, "next": "/account/career/"},
    )
    assert response.url == "/account/career/"


def test_the_header_links_to_the_dashboard(client) -> None:
    client.force_login(factories.UserFactory())
    body = client.get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("applications:list")}"' in body.split("</header>")[0]


def _dashboard_world(count: int) -> tuple[object, list[Application]]:
    """`count` applications for one person in every kind of state, over many cohorts."""
    user = factories.UserFactory()
    mine = []
    for index in range(count):
        kind = index % 3
        cohort = factories.CohortFactory()
        if kind == 0:
            mine.append(
                factories.ApplicationFactory(
                    cohort=cohort,
                    applicant=user,
                    state=S.OFFERED,
                    offered_at=timezone.now(),
                    offer_expires_at=timezone.now() + dt.timedelta(days=5),
                )
            )
        elif kind == 1:
            # Two people ahead, one of whom holds a place on a sibling cohort and so
            # is not in line, as places.waiting_list says.
            ahead = factories.ApplicationFactory(
                cohort=cohort, state=S.WAITLISTED, waitlisted_at=timezone.now() - dt.timedelta(1)
            )
            held = factories.ApplicationFactory(
                cohort=cohort, state=S.WAITLISTED, waitlisted_at=timezone.now() - dt.timedelta(1)
            )
            factories.ApplicationFactory(
                cohort=factories.CohortFactory(programme=cohort.programme),
                applicant=held.applicant,
                state=S.ENROLLED,
            )
            closed = factories.ApplicationFactory(
                cohort=cohort, state=S.WAITLISTED, waitlisted_at=timezone.now() - dt.timedelta(1)
            )
            closed.applicant.is_active = False
            closed.applicant.save()
            assert ahead
            mine.append(
                factories.ApplicationFactory(
                    cohort=cohort, applicant=user, state=S.WAITLISTED, waitlisted_at=timezone.now()
                )
            )
        else:
            mine.append(
                factories.ApplicationFactory(cohort=cohort, applicant=user, state=S.ELIGIBLE)
            )
    return user, mine


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_takes_the_same_queries_however_many_applications(
    client, django_assert_num_queries, count
) -> None:
    user, mine = _dashboard_world(count)
    client.force_login(user)
    # the session (unless Redis keeps it), user, the applications with their positions
    with django_assert_num_queries(session_reads() + 2):
        response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    body = response.content.decode()
    offers = [a for a in mine if a.state == S.OFFERED]
    assert body.count("Accept or decline by") == len(offers)
    assert "You meet the programme" in body and "The programme team will decide" in body


def test_dashboard_positions_match_the_waiting_list() -> None:
    user, mine = _dashboard_world(6)
    dashboard = applicant_dashboard(user=user)
    waiting = {a.pk: a.waitlist_position for a in dashboard.waiting}
    assert waiting and all(position == 2 for position in waiting.values())
    for application in mine:
        if application.state == S.WAITLISTED:
            assert waiting[application.pk] == places.waitlist_position(application)
    assert {a.pk for a in dashboard.offers} == {a.pk for a in mine if a.state == S.OFFERED}


def test_dashboard_says_when_someone_is_not_in_line() -> None:
    user = factories.UserFactory()
    cohort = factories.CohortFactory()
    waiting = factories.ApplicationFactory(
        cohort=cohort, applicant=user, state=S.WAITLISTED, waitlisted_at=timezone.now()
    )
    factories.ApplicationFactory(
        cohort=factories.CohortFactory(programme=cohort.programme), applicant=user, state=S.ENROLLED
    )
    [row] = applicant_dashboard(user=user).waiting
    assert row.waitlist_position is None is places.waitlist_position(waiting)


# --- The reference ---------------------------------------------------------------


def _submit(ready, django_capture_on_commit_callbacks) -> Application:
    with django_capture_on_commit_callbacks(execute=True):
        return application_submit(application=ready.application, by=ready.applicant)


def test_submission_gives_a_short_unambiguous_reference(
    ready, django_capture_on_commit_callbacks
) -> None:
    assert ready.application.reference is None
    application = _submit(ready, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert REFERENCE.match(application.reference)
    assert not set(application.reference[3:]) & set("0O1IL2Z5S8B6G")


def test_references_are_unique(ready) -> None:
    factories.ApplicationFactory(reference="LP-7K3M9Q")
    with pytest.raises(IntegrityError):
        factories.ApplicationFactory(reference="LP-7K3M9Q")


def test_existing_applications_get_a_reference_from_the_data_migration() -> None:
    submitted = factories.ApplicationFactory(state=S.ELIGIBLE)
    draft = factories.ApplicationFactory(state=S.DRAFT)
    migration = importlib.import_module(
        "applications.migrations.0004_give_submitted_applications_a_reference"
    )
    migration._fill(apps, None)
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert REFERENCE.match(submitted.reference)
    assert draft.reference is None


def test_every_email_about_the_application_carries_the_reference(
    ready, django_capture_on_commit_callbacks
) -> None:
    application = _submit(ready, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        places.application_offer(application=application, by=factories.UserFactory())
    application.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=application, by=ready.applicant)
    assert len(mail.outbox) == 3  # received, offered, withdrawn
    for message in mail.outbox:
        assert application.reference in message.subject
        assert application.reference in message.body
        [(html, _type)] = message.alternatives
        assert application.reference in html


# --- The confirmation page -------------------------------------------------------


def test_selective_submission_shows_a_confirmation_with_reference_and_when(
    client, ready, django_capture_on_commit_callbacks
) -> None:
    client.force_login(ready.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[ready.application.pk]))
    confirmation = reverse("applications:submitted", args=[ready.application.pk])
    assert response.url == confirmation
    ready.application.refresh_from_db()
    body = client.get(confirmation).content.decode()
    assert ready.application.reference in body
    assert str(NEXT_STEPS[S.ELIGIBLE]).replace("'", "&#x27;") in body
    closes = ready.cohort.applications_close_at
    assert "Applications close on " + f"{timezone.localtime(closes):%-d %B %Y}" in body
    assert "amara@example.org" in body


@pytest.fixture
def first_come(ready):
    programme = ready.cohort.programme
    programme.admission_mode = "first_come"
    programme.save()
    return ready


def test_first_come_booking_confirms_the_place_and_start_date(
    client, first_come, django_capture_on_commit_callbacks
) -> None:
    client.force_login(first_come.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[first_come.application.pk]))
    first_come.application.refresh_from_db()
    assert first_come.application.state == S.ENROLLED
    body = client.get(
        reverse("applications:submitted", args=[first_come.application.pk])
    ).content.decode()
    starts = f"{first_come.cohort.starts_on:%-d %B %Y}"
    assert str(user_text.BOOKED_STARTS % {"starts": starts}) in body
    assert first_come.application.reference in body


def test_first_come_full_cohort_confirms_the_waiting_list_position(
    client, first_come, django_capture_on_commit_callbacks
) -> None:
    cohort = first_come.cohort
    cohort.capacity = 1
    cohort.save()
    factories.ApplicationFactory(cohort=cohort, state=S.WAITLISTED, waitlisted_at=timezone.now())
    factories.ApplicationFactory(cohort=cohort, state=S.ENROLLED)
    type(cohort).objects.filter(pk=cohort.pk).update(places_taken=1)  # the place it holds
    client.force_login(first_come.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[first_come.application.pk]))
    first_come.application.refresh_from_db()
    assert first_come.application.state == S.WAITLISTED
    body = client.get(
        reverse("applications:submitted", args=[first_come.application.pk])
    ).content.decode()
    assert str(user_text.WAITING_POSITION % {"position": 2}) in body


def test_a_draft_has_no_confirmation_page(client, ready) -> None:
    client.force_login(ready.applicant)
    response = client.get(reverse("applications:submitted", args=[ready.application.pk]))
    assert response.url == reverse("applications:detail", args=[ready.application.pk])


def test_someone_elses_confirmation_is_not_found(client, ready) -> None:
    client.force_login(factories.UserFactory())
    response = client.get(reverse("applications:submitted", args=[ready.application.pk]))
    assert response.status_code == 404
