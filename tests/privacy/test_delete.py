"""Delete your account: places handed on through the places services, then erasure."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from post_office.models import STATUS, Email

from accounts.forms import PASSWORD_WRONG
from accounts.models import CareerEntry, Profile, User
from applications.models import Application, ApplicationEvent, SupportingDocument
from applications.models import ApplicationState as S
from applications.services import places
from privacy.models import PrivacyEvent
from privacy.services.erasure import HAS_ROLES, AlreadyErased, account_delete
from programmes.models import Cohort, FutureDatesSubscription, ProgrammeTeamMember
from tests import factories
from tests.authz.fingerprint import changed_tables, db_fingerprint

from .conftest import Person, signed_in

pytestmark = pytest.mark.django_db

DELETE = reverse("privacy:delete")


def _delete(person: Person, password: str, capture: Any) -> Any:
    with capture(execute=True):
        return person.client.post(DELETE, {"password": password})


@pytest.fixture
def holding_the_last_place(person: Person) -> Application:
    """The person holds the cohort's only place (an offer); someone else is waiting."""
    staff = factories.UserFactory(email="team@example.org")
    places.application_offer(application=person.application, by=staff)
    waiting = factories.ApplicationFactory(
        cohort=person.cohort,
        state=S.WAITLISTED,
        waitlisted_at=timezone.now() - dt.timedelta(days=1),
        applicant=factories.UserFactory(email="waiting@example.org"),
    )
    assert Cohort.objects.get(pk=person.cohort.pk).places_taken == 1
    return waiting


def test_the_freed_place_goes_to_the_person_waiting(
    person: Person,
    password: str,
    holding_the_last_place: Application,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = _delete(person, password, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:deleted")

    holding_the_last_place.refresh_from_db()
    assert holding_the_last_place.state == S.OFFERED
    assert Cohort.objects.get(pk=person.cohort.pk).places_taken == 1
    person.application.refresh_from_db()
    assert person.application.state == S.WITHDRAWN
    assert Email.objects.filter(to__icontains="waiting@example.org").exists()


def test_personal_data_is_erased_and_the_application_row_keeps_its_state_and_dates(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    submitted_at = person.application.submitted_at
    document_path = person.document.file.path
    _delete(person, password, django_capture_on_commit_callbacks)

    user = User.objects.get(pk=person.user.pk)
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert user.full_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Profile.objects.filter(user=user).exists()
    assert not CareerEntry.objects.filter(user=user).exists()
    assert not SupportingDocument.objects.exists()
    assert not os.path.exists(document_path)
    assert not FutureDatesSubscription.objects.exists()

    application = Application.objects.get(pk=person.application.pk)
    assert application.state == S.WITHDRAWN
    assert application.submitted_at == submitted_at
    assert application.eligibility_outcome == "eligible"
    assert application.snapshot == {}
    assert application.declarations == {}
    assert application.supporting_statement == ""
    assert (application.endorser_name, application.endorser_role) == ("", "")
    assert application.endorser_email == ""
    assert application.eligibility_results == [
        {"rule_id": 1, "version": 1, "kind": "nation", "outcome": "pass"}
    ]
    history = list(application.events.values_list("from_state", "to_state", "reason"))
    assert history == [
        ("submitted", "eligible", ""),
        ("eligible", "withdrawn", "The applicant deleted their account."),
    ]
    # Nothing anywhere still names them.
    for email in Email.objects.exclude(subject="Your account has been deleted"):
        assert "nia.evans@example.org" not in email.to
        assert "Nia" not in email.message
    event = PrivacyEvent.objects.get(kind=PrivacyEvent.Kind.ACCOUNT_DELETED)
    assert event.user_id == user.pk
    assert event.detail["withdrawn"] == 1


def test_the_person_can_no_longer_sign_in(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _delete(person, password, django_capture_on_commit_callbacks)
    request = RequestFactory().post("/account/login/")
    assert authenticate(request, email="nia.evans@example.org", password=password) is None
    browser = Client()
    response = browser.post(
        reverse("accounts:login"), {"username": "nia.evans@example.org", "password": password}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in browser.session
    # The browser that deleted the account is signed out.
    assert person.client.get(reverse("accounts:home")).status_code == 302


def test_another_signed_in_browser_is_signed_out_too(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = Client()
    elsewhere.post(
        reverse("accounts:login"), {"username": "nia.evans@example.org", "password": password}
    )
    assert elsewhere.get(reverse("accounts:home")).status_code == 200
    _delete(person, password, django_capture_on_commit_callbacks)
    assert elsewhere.get(reverse("accounts:home")).status_code == 302


def test_a_confirmation_is_queued_to_the_old_address(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    _delete(person, password, django_capture_on_commit_callbacks)
    [confirmation] = Email.objects.filter(subject="Your account has been deleted")
    assert confirmation.to == ["nia.evans@example.org"]
    assert "It is done" in confirmation.message
    # The withdrawal notice the service wrote for them was never sent, so it is dropped.
    assert not Email.objects.filter(subject__startswith="Application withdrawn").exists()


def test_emails_already_sent_keep_their_date_but_not_their_words(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    sent = Email.objects.get()
    Email.objects.filter(pk=sent.pk).update(status=STATUS.sent)
    _delete(person, password, django_capture_on_commit_callbacks)
    sent.refresh_from_db()
    assert (sent.subject, sent.message, sent.html_message) == ("", "", "")
    assert sent.to == [f"deleted-{person.user.pk}@deleted.invalid"]


def test_a_wrong_password_changes_nothing(
    person: Person, holding_the_last_place: Application, django_capture_on_commit_callbacks: Any
) -> None:
    before = db_fingerprint()
    with django_capture_on_commit_callbacks() as queued:
        response = person.client.post(DELETE, {"password": "not-it"})
    assert response.status_code == 400
    assert str(PASSWORD_WRONG) in response.content.decode()
    # django-axes counts the wrong guess; nothing else may change.
    assert [t for t in changed_tables(before, db_fingerprint()) if not t.startswith("axes.")] == []
    assert queued == []


@pytest.mark.parametrize("role", ["manager", "screener", "provider", "admin"])
def test_an_account_with_a_role_is_told_to_ask_an_administrator(
    role: str, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    user = factories.UserFactory(email=f"{role}@example.org")
    if role in ("manager", "screener"):
        factories.ProgrammeTeamMemberFactory(user=user, role=role)
    elif role == "provider":
        factories.ProviderMembershipFactory(user=user)
    else:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client = signed_in(user)

    page = client.get(DELETE).content.decode()
    assert "Ask a site administrator to remove your roles first" in page
    assert 'name="password"' not in page

    before = db_fingerprint()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(DELETE, {"password": password})
    assert response.status_code == 403
    assert changed_tables(before, db_fingerprint()) == []
    assert queued == []
    assert str(HAS_ROLES).startswith("Your account has a role")


def test_the_page_says_what_will_happen_and_what_is_kept(
    person: Person, holding_the_last_place: Application
) -> None:
    page = person.client.get(DELETE).content.decode()
    assert "You will give up these places" in page
    assert "Aspiring directors" in page
    assert "What we keep" in page
    assert page.count("<h1") == 1
    assert 'for="id_password"' in page


def test_leaving_a_running_cohort_tells_the_programme_team(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    Cohort.objects.filter(pk=person.cohort.pk).update(
        starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=30)
    )
    Application.objects.filter(pk=person.application.pk).update(state=S.ENROLLED)
    Cohort.objects.filter(pk=person.cohort.pk).update(places_taken=1)
    manager = factories.UserFactory(email="manager@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=manager, programme=person.cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )

    page = person.client.get(DELETE).content.decode()
    assert "running now. We will tell the programme team" in page

    _delete(person, password, django_capture_on_commit_callbacks)
    [notice] = Email.objects.filter(to__icontains="manager@example.org")
    assert "has deleted their account" in notice.message
    assert "Nia" not in notice.message
    assert Cohort.objects.get(pk=person.cohort.pk).places_taken == 0


def test_drafts_are_deleted_with_their_documents(
    person: Person, password: str, django_capture_on_commit_callbacks: Any
) -> None:
    draft = factories.ApplicationFactory(applicant=person.user, state=S.DRAFT)
    _delete(person, password, django_capture_on_commit_callbacks)
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_an_enrolment_on_a_finished_cohort_stays_as_it_was(person: Person) -> None:
    today = timezone.localdate()
    finished = factories.CohortFactory(
        starts_on=today - dt.timedelta(days=200), ends_on=today - dt.timedelta(days=20)
    )
    took_part = factories.ApplicationFactory(
        cohort=finished, applicant=person.user, state=S.ENROLLED
    )
    Cohort.objects.filter(pk=finished.pk).update(places_taken=1)
    account_delete(user=person.user)
    took_part.refresh_from_db()
    assert took_part.state == S.ENROLLED
    assert Cohort.objects.get(pk=finished.pk).places_taken == 1


def test_deleting_twice_has_one_effect(person: Person) -> None:
    account_delete(user=person.user)
    events = ApplicationEvent.objects.count()
    with pytest.raises(AlreadyErased):
        account_delete(user=person.user)
    assert ApplicationEvent.objects.count() == events
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.ACCOUNT_DELETED).count() == 1


def test_the_profile_page_links_to_both(person: Person) -> None:
    page = person.client.get(reverse("accounts:profile")).content.decode()
    assert reverse("privacy:export_request") in page
    assert reverse("privacy:delete") in page
