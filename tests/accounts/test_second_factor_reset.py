"""A lost phone: an administrator resets the person's second factor from the user admin."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from post_office.models import Email

from accounts.models import User
from accounts.services.second_factor import RESET_EVENT, second_factor_recovery_codes_renew
from tests import factories
from tests.second_factor import app_device, code_for, session_pass_second_factor

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def administrator(db: Any) -> User:
    return User.objects.create_superuser(
        "root@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )


@pytest.fixture
def lost_phone(db: Any) -> User:
    person = factories.UserFactory(email="lost.phone@example.org", full_name="Sam Lost")
    factories.ProgrammeTeamMemberFactory(user=person)
    app_device(person)
    second_factor_recovery_codes_renew(user=person)
    return person


def _action(person: User, **extra: str) -> dict[str, Any]:
    return {"action": "reset_second_factor", helpers.ACTION_CHECKBOX_NAME: [person.pk], **extra}


def test_the_action_asks_for_confirmation_first_and_changes_nothing(
    client: Client, administrator: User, lost_phone: User
) -> None:
    client.force_login(administrator)

    page = client.post(CHANGELIST, _action(lost_phone))

    assert page.status_code == 200
    assert "lost.phone@example.org" in page.content.decode()
    assert 'name="confirmed" value="yes"' in page.content.decode()
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not Email.objects.exists()


def test_confirming_deletes_the_devices_ends_sessions_emails_and_audits(
    client: Client, administrator: User, lost_phone: User
) -> None:
    theirs = Client()
    theirs.force_login(lost_phone)
    assert theirs.get("/manage/").status_code == 200
    client.force_login(administrator)

    response = client.post(CHANGELIST, _action(lost_phone, confirmed="yes"), follow=True)

    assert response.status_code == 200
    assert "has been reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not StaticDevice.objects.filter(user=lost_phone).exists()
    assert not StaticToken.objects.filter(device__user=lost_phone).exists()
    # Their session opened with the lost phone has ended.
    assert theirs.get("/manage/").url.startswith(reverse("accounts:login"))
    email = Email.objects.get()
    assert email.to == ["lost.phone@example.org"]
    assert "two-step sign-in has been reset" in email.subject
    entry = LogEntry.objects.get(additional_data__event=RESET_EVENT)
    assert entry.actor == administrator
    assert entry.content_type == ContentType.objects.get_for_model(User)
    assert entry.object_pk == str(lost_phone.pk)
    assert entry.additional_data == {
        "event": RESET_EVENT,
        "by": "root@example.org",
        "of": "lost.phone@example.org",
    }
    assert entry.changes == {"second_factor": ["set up", "reset"]}


@pytest.mark.real_second_factor
def test_after_a_reset_the_person_sets_up_a_new_app_at_sign_in(
    client: Client, administrator: User, lost_phone: User
) -> None:
    admin_client = Client()
    admin_client.force_login(administrator)
    session_pass_second_factor(admin_client, administrator)
    old_code = code_for(TOTPDevice.objects.get(user=lost_phone))
    admin_client.post(CHANGELIST, _action(lost_phone, confirmed="yes"))

    client.post(
        reverse("accounts:login"), {"username": lost_phone.email, "password": factories.PASSWORD}
    )

    assert client.get("/manage/").url.startswith(reverse("accounts:second_factor_setup"))
    assert (
        client.post(reverse("accounts:second_factor_verify"), {"code": old_code}).status_code == 302
    )
    assert client.get("/manage/").status_code == 302


def test_only_the_admin_can_reset(client: Client, lost_phone: User) -> None:
    staff = factories.UserFactory(email="team@example.org")
    factories.ProgrammeTeamMemberFactory(user=staff)
    client.force_login(staff)

    response = client.post(CHANGELIST, _action(lost_phone, confirmed="yes"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
