"""The applicant's places pages, posted to as no page offers them: stale tabs, replays,
hand-made requests. Each refusal is a 4xx with a plain reason, and nothing changes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.models import ApplicationState as S
from applications.services import places
from applications.services.places.errors import NO_OFFER, NOT_WAITING
from applications.tokens import waitlist_leave_token
from programmes.models import Cohort
from tests import factories

pytestmark = pytest.mark.django_db


def _signed_in(client, application):  # type: ignore[no-untyped-def]
    client.force_login(application.applicant)
    return client


def _state(application) -> str:  # type: ignore[no-untyped-def]
    return Application.objects.get(pk=application.pk).state


def _taken(cohort) -> int:  # type: ignore[no-untyped-def]
    return Cohort.objects.get(pk=cohort.pk).places_taken


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def selective():  # type: ignore[no-untyped-def]
    return factories.CohortFactory(capacity=2, programme__admission_mode="selective")


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return factories.UserFactory()


# --- Accept ------------------------------------------------------------------


@pytest.mark.parametrize("state", [S.ELIGIBLE, S.WAITLISTED, S.NEEDS_REVIEW])
def test_posting_accept_without_an_offer_is_a_409_and_takes_no_place(
    client, selective, state
) -> None:
    application = factories.ApplicationFactory(
        cohort=selective, state=state, waitlisted_at=timezone.now()
    )
    response = _signed_in(client, application).post(
        reverse("applications:accept", args=[application.pk])
    )
    assert response.status_code == 409
    assert str(NO_OFFER) in response.content.decode()
    assert _state(application) == state
    assert _taken(selective) == 0


def test_replayed_accept_is_refused_and_counts_the_place_once(client, selective, staff) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=S.ELIGIBLE)
    places.application_offer(application=application, by=staff)
    url = reverse("applications:accept", args=[application.pk])
    signed_in = _signed_in(client, application)
    assert signed_in.post(url).status_code == 302
    assert signed_in.post(url).status_code == 409
    assert _state(application) == S.ENROLLED
    assert _taken(selective) == 1


def test_accepting_a_lapsed_offer_is_refused_and_the_place_handed_on(
    client, selective, staff
) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=S.ELIGIBLE)
    places.application_offer(application=application, by=staff)
    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = _signed_in(client, application).post(
        reverse("applications:accept", args=[application.pk])
    )
    assert response.status_code == 409
    assert _state(application) == S.EXPIRED
    assert _taken(selective) == 0


# --- Decline: a confirmation step ----------------------------------------------


def test_decline_asks_first_and_a_post_without_confirming_changes_nothing(
    client, selective, staff
) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=S.ELIGIBLE)
    places.application_offer(application=application, by=staff)
    url = reverse("applications:decline", args=[application.pk])
    signed_in = _signed_in(client, application)
    page = signed_in.get(url)
    assert "Are you sure you want to decline this place?" in page.content.decode()
    assert signed_in.post(url).status_code == 200  # the old one-click form: asked again
    assert _state(application) == S.OFFERED
    assert signed_in.post(url, {"confirm": "yes"}).status_code == 302
    assert _state(application) == S.DECLINED
    assert _taken(selective) == 0


def test_the_offer_page_links_to_the_decline_confirmation(client, selective, staff) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=S.ELIGIBLE)
    places.application_offer(application=application, by=staff)
    page = _signed_in(client, application).get(
        reverse("applications:detail", args=[application.pk])
    )
    html = page.content.decode()
    assert f'href="{reverse("applications:decline", args=[application.pk])}"' in html
    assert (
        "(UK time)" in html
        and timezone.localtime(
            Application.objects.get(pk=application.pk).offer_expires_at
        ).strftime("%Y")
        in html
    )


# --- Leaving the waiting list --------------------------------------------------


@pytest.mark.parametrize("state", [S.OFFERED, S.ENROLLED, S.DRAFT, S.ELIGIBLE])
def test_leave_waiting_list_post_from_a_stale_tab_is_refused(client, selective, state) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=state)
    if state in (S.OFFERED, S.ENROLLED):
        Cohort.objects.filter(pk=selective.pk).update(places_taken=1)
    events = ApplicationEvent.objects.count()
    response = _signed_in(client, application).post(
        reverse("applications:waitlist_leave", args=[application.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 409
    assert str(NOT_WAITING) in response.content.decode()
    assert "You have left the waiting list" not in response.content.decode()
    assert _state(application) == state
    assert ApplicationEvent.objects.count() == events


def test_leaving_asks_first_then_leaves(client, selective) -> None:
    application = factories.ApplicationFactory(
        cohort=selective, state=S.WAITLISTED, waitlisted_at=timezone.now()
    )
    url = reverse("applications:waitlist_leave", args=[application.pk])
    signed_in = _signed_in(client, application)
    assert "Are you sure you want to leave" in signed_in.get(url).content.decode()
    assert signed_in.post(url).status_code == 200
    assert _state(application) == S.WAITLISTED
    response = signed_in.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert _state(application) == S.WITHDRAWN
    assert "You have left the waiting list." in _messages(response)


def test_signed_leave_link_checks_the_state_it_finds_when_posted(client, selective, staff) -> None:
    application = factories.ApplicationFactory(cohort=selective, state=S.ELIGIBLE)
    places.waitlist_add(application=application, by=staff)
    token = waitlist_leave_token(application)
    places.cohort_capacity_change(cohort=selective, capacity=3, by=staff)
    assert _state(application) == S.OFFERED
    response = client.post(f"/account/applications/waiting-list/leave/{token}/")
    assert response.status_code == 409
    assert _state(application) == S.OFFERED
    assert _taken(selective) == 1


# --- Drafts and applying again ------------------------------------------------


def test_deleting_a_draft_asks_first_then_deletes_it(client, ready) -> None:
    signed_in = _signed_in(client, ready.application)
    url = reverse("applications:draft_delete", args=[ready.application.pk])
    task_list = signed_in.get(reverse("applications:detail", args=[ready.application.pk]))
    assert url in task_list.content.decode()
    page = signed_in.get(url).content.decode()
    assert "Are you sure you want to delete this draft?" in page
    assert "withdraw" not in page.lower()
    assert signed_in.post(url).status_code == 200  # no confirmation: nothing deleted
    assert Application.objects.filter(pk=ready.application.pk).exists()
    assert signed_in.post(url, {"confirm": "yes"}).status_code == 302
    assert not Application.objects.filter(pk=ready.application.pk).exists()


def test_a_submitted_application_is_not_deleted_by_the_draft_url(client, ready) -> None:
    Application.objects.filter(pk=ready.application.pk).update(state=S.ELIGIBLE)
    signed_in = _signed_in(client, ready.application)
    signed_in.post(
        reverse("applications:draft_delete", args=[ready.application.pk]), {"confirm": "yes"}
    )
    assert _state(ready.application) == S.ELIGIBLE


def test_after_leaving_the_list_apply_starts_a_new_application(client, ready) -> None:
    Application.objects.filter(pk=ready.application.pk).update(
        state=S.WAITLISTED, waitlisted_at=timezone.now()
    )
    signed_in = _signed_in(client, ready.application)
    signed_in.post(
        reverse("applications:waitlist_leave", args=[ready.application.pk]), {"confirm": "yes"}
    )
    assert _state(ready.application) == S.WITHDRAWN
    new_url = reverse("applications:new", args=[ready.cohort.pk])
    start = signed_in.get(new_url)
    assert start.status_code == 200  # not sent back to the withdrawn record
    assert "You withdrew an earlier application" in start.content.decode()
    response = signed_in.post(new_url)
    fresh = Application.objects.exclude(pk=ready.application.pk).get(
        cohort=ready.cohort, applicant=ready.applicant
    )
    assert response.url == reverse("applications:detail", args=[fresh.pk])
    assert fresh.state == S.DRAFT
    assert _state(ready.application) == S.WITHDRAWN
