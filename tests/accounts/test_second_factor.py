"""Two-step sign-in: privileged people pass a second factor before any staff area.

These tests take the real steps (password, then a code computed with pyotp), so they
opt out of the test client's shortcut in tests/conftest.py.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms.second_factor import SAVED_REQUIRED
from accounts.models import User
from accounts.services.second_factor import (
    RECOVERY_CODE_COUNT,
    REQUIRED_FOR_YOUR_ROLE,
    TOO_MANY_TRIES,
    WRONG_CODE,
    WRONG_SETUP_CODE,
)
from programmes.models import ProgrammeTeamMember
from tests import factories
from tests.second_factor import app_device, code_for

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

VERIFY = reverse("accounts:second_factor_verify")
SET_UP = reverse("accounts:second_factor_setup")
CODES = reverse("accounts:second_factor_recovery_codes")
ADMIN = reverse("admin:index")
AREAS = {"staff": "/manage/", "screener": "/manage/", "provider": "/provider/", "admin": ADMIN}


@pytest.fixture
def people(db: Any) -> dict[str, User]:
    programme = factories.ProgrammeFactory()
    staff = factories.UserFactory(email="staff@example.org")
    screener = factories.UserFactory(email="screener@example.org")
    provider = factories.UserFactory(email="provider@example.org")
    factories.ProgrammeTeamMemberFactory(user=staff, programme=programme)
    factories.ProgrammeTeamMemberFactory(
        user=screener, programme=programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    factories.ProviderMembershipFactory(user=provider, provider=programme.providers.first())
    admin = User.objects.create_superuser(
        "admin@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )
    applicant = factories.UserFactory(email="applicant@example.org")
    return {
        "staff": staff,
        "screener": screener,
        "provider": provider,
        "admin": admin,
        "applicant": applicant,
    }


def _sign_in(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, "the password was refused"


def _sent_to(page: str, area: str) -> str:
    return f"{page}?next={quote(area, safe='')}"


def _enrol(client: Client, next_url: str = "/manage/") -> list[str]:
    """Take the set-up steps as a person would; returns the recovery codes shown."""
    page = client.get(SET_UP, {"next": next_url})
    assert page.status_code == 200
    secret = page.context["secret"].replace(" ", "")
    assert secret in page.content.decode().replace(" ", "")
    response = client.post(SET_UP, {"code": pyotp.TOTP(secret).now(), "next": next_url})
    assert response.status_code == 302
    assert response.url == _sent_to(CODES, next_url)
    codes: list[str] = client.get(response.url).context["codes"]
    done = client.post(CODES, {"saved": "on", "next": next_url})
    assert done.status_code == 302 and done.url == next_url
    return codes


# --- Password only: no staff area -------------------------------------------------------


@pytest.mark.parametrize("role", sorted(AREAS))
def test_a_password_only_session_with_an_app_is_sent_to_enter_a_code(
    client: Client, people: dict[str, User], role: str
) -> None:
    app_device(people[role])
    _sign_in(client, people[role])

    response = client.get(AREAS[role])

    assert response.status_code == 302
    assert response.url == _sent_to(VERIFY, AREAS[role])
    assert response.content == b""


@pytest.mark.parametrize("role", sorted(AREAS))
def test_a_password_only_session_without_an_app_is_sent_to_set_one_up(
    client: Client, people: dict[str, User], role: str
) -> None:
    _sign_in(client, people[role])

    response = client.get(AREAS[role])

    assert response.status_code == 302
    assert response.url == _sent_to(SET_UP, AREAS[role])
    assert response.content == b""


@pytest.mark.parametrize("role", sorted(AREAS))
def test_a_code_from_the_app_opens_the_staff_area(
    client: Client, people: dict[str, User], role: str
) -> None:
    device = app_device(people[role])
    _sign_in(client, people[role])

    response = client.post(VERIFY, {"code": code_for(device), "next": AREAS[role]})

    assert response.status_code == 302 and response.url == AREAS[role]
    assert client.get(AREAS[role]).status_code == 200


def test_a_pending_session_reaches_no_other_page_either(
    client: Client, people: dict[str, User]
) -> None:
    app_device(people["staff"])
    _sign_in(client, people["staff"])

    page = client.get("/account/applications/")
    api = client.get("/api/v1/programmes/")

    assert page.status_code == 302 and page.url == _sent_to(VERIFY, "/account/applications/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    assert client.get(VERIFY).status_code == 200


def test_signing_in_through_the_admin_login_still_asks_for_a_code(
    client: Client, people: dict[str, User]
) -> None:
    app_device(people["admin"])
    response = client.post(
        reverse("admin:login"),
        {"username": people["admin"].email, "password": factories.PASSWORD, "next": ADMIN},
    )
    assert response.status_code == 302

    assert client.get(ADMIN).url == _sent_to(VERIFY, ADMIN)


def test_a_role_given_after_signing_in_needs_the_second_factor_first(
    client: Client, people: dict[str, User]
) -> None:
    applicant = people["applicant"]
    _sign_in(client, applicant)
    assert client.get("/account/").status_code == 200

    factories.ProgrammeTeamMemberFactory(user=applicant)

    assert client.get("/manage/").url == _sent_to(SET_UP, "/manage/")


# --- Enrolment ------------------------------------------------------------------------------


def test_first_privileged_sign_in_sets_up_an_app_shows_recovery_codes_then_opens_the_console(
    client: Client, people: dict[str, User]
) -> None:
    staff = people["staff"]
    _sign_in(client, staff)
    assert client.get("/manage/").url == _sent_to(SET_UP, "/manage/")

    page = client.get(SET_UP, {"next": "/manage/"})
    body = page.content.decode()
    assert 'role="img"' in body and "<svg" in body and " style=" not in body
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", body).group(1).replace(" ", "")  # type: ignore[union-attr]
    # Nothing is saved until a code proves the app holds the secret.
    assert not TOTPDevice.objects.filter(user=staff).exists()

    wrong = client.post(SET_UP, {"code": "000000", "next": "/manage/"})
    assert wrong.status_code == 400
    assert str(WRONG_SETUP_CODE) in wrong.content.decode()
    assert client.get("/manage/").status_code == 302

    done = client.post(SET_UP, {"code": pyotp.TOTP(secret).now(), "next": "/manage/"})
    assert done.url == _sent_to(CODES, "/manage/")
    shown = client.get(done.url)
    codes = shown.context["codes"]
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    assert all(code in shown.content.decode() for code in codes)
    unconfirmed = client.post(CODES, {"next": "/manage/"})
    assert str(SAVED_REQUIRED) in unconfirmed.content.decode()

    confirmed = client.post(CODES, {"saved": "on", "next": "/manage/"})

    assert confirmed.url == "/manage/"
    assert client.get("/manage/").status_code == 200
    assert TOTPDevice.objects.get(user=staff).confirmed
    # Shown once: the page has nothing to show any more.
    assert client.get(CODES).status_code == 302


def test_the_code_used_to_set_up_cannot_sign_in_again(
    client: Client, people: dict[str, User]
) -> None:
    staff = people["staff"]
    _sign_in(client, staff)
    page = client.get(SET_UP)
    secret = page.context["secret"].replace(" ", "")
    code = pyotp.TOTP(secret).now()
    client.post(SET_UP, {"code": code})
    client.post(reverse("accounts:logout"))

    _sign_in(client, staff)
    response = client.post(VERIFY, {"code": code, "next": "/manage/"})

    assert response.status_code == 400


# --- Entering a code ------------------------------------------------------------------------


def test_a_wrong_code_is_refused_with_a_message_and_counted(
    client: Client, people: dict[str, User]
) -> None:
    device = app_device(people["staff"])
    _sign_in(client, people["staff"])

    response = client.post(VERIFY, {"code": "123456", "next": "/manage/"})

    assert response.status_code == 400
    assert str(WRONG_CODE) in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get("/manage/").status_code == 302


def test_after_wrong_codes_even_the_right_code_waits(
    client: Client, people: dict[str, User]
) -> None:
    device = app_device(people["staff"])
    # Five wrong codes just now: the device waits 2^4 = 16 seconds before checking another.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    _sign_in(client, people["staff"])

    response = client.post(VERIFY, {"code": code_for(device), "next": "/manage/"})

    assert response.status_code == 429
    message = str(TOO_MANY_TRIES).split("%")[0]
    assert message in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_empty_code_is_a_form_error(client: Client, people: dict[str, User]) -> None:
    app_device(people["staff"])
    _sign_in(client, people["staff"])

    response = client.post(VERIFY, {"code": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_recovery_code_signs_in_once_only(client: Client, people: dict[str, User]) -> None:
    staff = people["staff"]
    _sign_in(client, staff)
    codes = _enrol(client)
    client.post(reverse("accounts:logout"))

    _sign_in(client, staff)
    first = client.post(VERIFY, {"code": codes[0].upper(), "next": "/manage/"})
    assert first.status_code == 302 and first.url == "/manage/"
    assert client.get("/manage/").status_code == 200
    client.post(reverse("accounts:logout"))

    _sign_in(client, staff)
    again = client.post(VERIFY, {"code": codes[0], "next": "/manage/"})

    assert again.status_code == 400
    assert str(WRONG_CODE) in again.content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == RECOVERY_CODE_COUNT - 1


def test_new_recovery_codes_replace_the_old_ones(client: Client, people: dict[str, User]) -> None:
    staff = people["staff"]
    _sign_in(client, staff)
    old = _enrol(client)

    response = client.post(reverse("accounts:second_factor_recovery_codes_new"))
    new = client.get(response.url).context["codes"]

    assert set(new).isdisjoint(old)
    tokens = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert tokens == set(new)


# --- Applicants -----------------------------------------------------------------------------


def test_an_applicant_signs_in_with_a_password_only_until_they_turn_it_on(
    client: Client, people: dict[str, User]
) -> None:
    applicant = people["applicant"]
    _sign_in(client, applicant)
    home = client.get("/account/")
    assert home.status_code == 200
    assert reverse("accounts:second_factor_setup") in home.content.decode()

    _enrol(client, next_url="/account/")
    client.post(reverse("accounts:logout"))
    _sign_in(client, applicant)

    assert client.get("/account/").url == _sent_to(VERIFY, "/account/")
    device = TOTPDevice.objects.get(user=applicant)
    # The set-up just used the current code, so the app's next one.
    code = code_for(device, steps_ahead=1)
    assert client.post(VERIFY, {"code": code, "next": "/account/"}).url == "/account/"
    assert client.get("/account/").status_code == 200


def test_an_applicant_may_turn_it_off(client: Client, people: dict[str, User]) -> None:
    applicant = people["applicant"]
    _sign_in(client, applicant)
    _enrol(client, next_url="/account/")
    turn_off = reverse("accounts:second_factor_turn_off")
    assert client.get(turn_off).status_code == 200

    assert client.post(turn_off).url == reverse("accounts:home")

    assert not TOTPDevice.objects.filter(user=applicant).exists()
    assert not StaticToken.objects.filter(device__user=applicant).exists()
    client.post(reverse("accounts:logout"))
    _sign_in(client, applicant)
    assert client.get("/account/").status_code == 200


def test_a_privileged_person_cannot_turn_it_off(client: Client, people: dict[str, User]) -> None:
    staff = people["staff"]
    _sign_in(client, staff)
    _enrol(client)
    turn_off = reverse("accounts:second_factor_turn_off")

    page = client.get(turn_off)
    response = client.post(turn_off, follow=True)

    assert page.status_code == 403
    assert escape(str(REQUIRED_FOR_YOUR_ROLE)) in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_a_new_phone_needs_the_old_code_first(client: Client, people: dict[str, User]) -> None:
    app_device(people["staff"])
    _sign_in(client, people["staff"])

    assert client.get(SET_UP).url == _sent_to(VERIFY, "/account/applications/")
