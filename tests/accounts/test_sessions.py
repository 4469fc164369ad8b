"""When sessions end: everywhere on request, elsewhere on a password change, and sooner
for people whose accounts can see other people's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import user_sessions_end
from programmes.models import ProgrammeTeamMember
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("accounts:home")


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"username": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    return client


def test_ending_someones_sessions_signs_them_out_on_every_device() -> None:
    person = factories.UserFactory()
    laptop, phone = _signed_in(person), _signed_in(person)

    user_sessions_end(user=person)

    assert laptop.get(HOME).status_code == 302
    assert phone.get(HOME).status_code == 302
    assert _signed_in(person).get(HOME).status_code == 200  # a new sign-in works


def test_a_password_change_keeps_this_session_and_ends_the_others() -> None:
    person = factories.UserFactory()
    here, elsewhere = _signed_in(person), _signed_in(person)

    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a-brand-new-long-passphrase-42",
            "new_password2": "a-brand-new-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302


def test_a_programme_team_members_session_ends_after_the_shorter_idle_time(settings) -> None:
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 900
    member = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=member, role=ProgrammeTeamMember.Role.SCREENER)
    client = _signed_in(member)

    client.get(HOME)

    assert client.session.get_expiry_age() == 900


def test_an_applicants_session_keeps_the_usual_age(settings) -> None:
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 900
    client = _signed_in(factories.UserFactory())

    client.get(HOME)

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
