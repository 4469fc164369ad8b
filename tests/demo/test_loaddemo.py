"""`manage.py loaddemo`: the real catalogue, demo cohorts and one account per role."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import models
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import CareerEntry, Profile, User
from applications.models import Application, ApplicationEvent, EligibilityRule
from demo.catalogue import DEMO_PASSWORD
from demo.management.commands.loaddemo import REFUSED_WITHOUT_DEBUG
from equality.models import EqualityAnswers
from network.models import NetworkProfile
from programmes.models import (
    AdmissionMode,
    Cohort,
    CostType,
    Programme,
    ProgrammeTeamMember,
    Provider,
    ProviderMembership,
)
from resources.models import Resource

# Written out here rather than read from demo_data, so the test checks DOMAIN.md, not itself.
DOMAIN_PROGRAMMES = {
    "upon-aspiring-directors": "Upon aspiring directors programme",
    "upon-new-directors": "Upon new directors programme",
    "black-and-asian-leadership-initiative": "Black and Asian Leadership Initiative",
    "women-in-leadership": "Women in Leadership programme",
    "commissioning-for-childrens-services": "Commissioning for children's services",
    "lga-leadership-essentials-childrens-services": "Leadership Essentials: children's services",
    "pgcert-strategic-operational-leadership-wales": (
        "Postgraduate Certificate in Strategic and Operational Leadership"
    ),
    "ipc-bespoke-council-programmes": "Bespoke leadership programmes for councils",
}

MODELS: list[type[models.Model]] = [
    Provider,
    Programme,
    Cohort,
    User,
    ProgrammeTeamMember,
    ProviderMembership,
    Profile,
    CareerEntry,
    EligibilityRule,
    Application,
    ApplicationEvent,
    EqualityAnswers,
    Resource,
    NetworkProfile,
    TOTPDevice,
]


@pytest.fixture
def debug_on(settings: Any) -> None:
    settings.DEBUG = True


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every field of every row the command writes, including auto_now timestamps."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in MODELS:
        rows[model.__name__] = [
            {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            for obj in model._default_manager.order_by("pk")
        ]
    rows["Programme.providers"] = [
        {"programme": programme_id, "provider": provider_id}
        for programme_id, provider_id in Programme.providers.through.objects.order_by(
            "programme_id", "provider_id"
        ).values_list("programme_id", "provider_id")
    ]
    rows["Resource.programmes"] = [
        {"resource": resource_id, "programme": programme_id}
        for resource_id, programme_id in Resource.programmes.through.objects.order_by(
            "resource_id", "programme_id"
        ).values_list("resource_id", "programme_id")
    ]
    return rows


@pytest.mark.django_db
def test_running_twice_changes_nothing(debug_on: None) -> None:
    call_command("loaddemo")
    first = snapshot()

    call_command("loaddemo")

    assert snapshot() == first
    assert {name: len(rows) for name, rows in first.items()} == {
        "Provider": 6,
        "Programme": 8,
        "Cohort": 18,
        # With the funder and the 126 people of the past Upon aspiring cohorts
        # (demo/participants.py), who have no sign-in and no career history when the
        # screening could not tell (15 of them).
        "User": 167,
        "ProgrammeTeamMember": 3,
        "ProviderMembership": 2,
        "Profile": 161,
        "CareerEntry": 177,
        "EligibilityRule": 8,
        "Application": 162,
        # 20 people enrolled on or waiting for the first-come commissioning cohort
        # have no "offered" step: first-come cohorts book without offers.
        "ApplicationEvent": 671,
        "EqualityAnswers": 126,
        "TOTPDevice": 5,
        "Programme.providers": 14,
        "Resource": 6,
        "NetworkProfile": 2,
        "Resource.programmes": 7,
    }


@pytest.mark.django_db
def test_every_domain_programme_is_present_and_published(debug_on: None) -> None:
    call_command("loaddemo")

    programmes = {p.slug: p for p in Programme.objects.all()}
    assert {slug: programmes[slug].title for slug in DOMAIN_PROGRAMMES} == DOMAIN_PROGRAMMES
    assert all(p.is_published for p in programmes.values())


@pytest.mark.django_db
def test_every_programme_has_a_team_email_nobody_could_receive(debug_on: None) -> None:
    """Published programmes need a team email; the demo's are example.org, never real."""
    call_command("loaddemo")

    emails = list(Programme.objects.values_list("contact_email", flat=True))
    assert all(email.endswith("@example.org") for email in emails), emails
    assert len(set(emails)) == len(emails)


@pytest.mark.django_db
def test_upon_aspiring_is_run_by_the_consortium_and_funded_by_dfe(debug_on: None) -> None:
    call_command("loaddemo")

    upon = Programme.objects.get(slug="upon-aspiring-directors")
    assert set(upon.providers.values_list("slug", flat=True)) == {
        "staff-college",
        "ipc",
        "skills-for-care",
        "gatenbysanderson",
    }
    assert upon.funder is not None
    assert upon.funder.slug == "dfe"
    assert upon.funder.kind == Provider.Kind.FUNDER
    assert upon.cost_type == CostType.FUNDED
    assert upon.cost_amount is None
    assert upon.admission_mode == AdmissionMode.SELECTIVE
    assert len(upon.theme_list) == 7
    assert list(upon.cohorts.order_by("starts_on").values_list("name", "capacity")[:3]) == [
        ("Cohort 1", 19),
        ("Cohort 2", 50),
        ("2023 cohort", 40),
    ]


@pytest.mark.django_db
def test_every_fee_shown_is_marked_indicative(debug_on: None) -> None:
    call_command("loaddemo")

    for programme in Programme.objects.filter(cost_amount__isnull=False):
        assert programme.cost_type == CostType.PAID
        assert programme.cost_note.startswith("Indicative fee"), programme.slug


@pytest.mark.django_db
def test_there_are_past_running_and_upcoming_cohorts(debug_on: None) -> None:
    call_command("loaddemo")
    today = timezone.localdate()
    now = timezone.now()

    assert Cohort.objects.filter(ends_on__lt=today).exists()
    assert Cohort.objects.filter(starts_on__lte=today, ends_on__gte=today).exists()
    assert Cohort.objects.filter(starts_on__gt=today).exists()
    assert Cohort.objects.filter(
        applications_open_at__lte=now, applications_close_at__gt=now
    ).exists()
    assert Cohort.objects.filter(applications_open_at__gt=now).exists()
    for slug in DOMAIN_PROGRAMMES.keys() - {"ipc-bespoke-council-programmes"}:
        cohorts = Cohort.objects.filter(programme__slug=slug)
        assert cohorts.filter(ends_on__lt=today).exists(), slug
        assert cohorts.filter(starts_on__gt=today).exists(), slug
    assert not Cohort.objects.filter(programme__slug="ipc-bespoke-council-programmes").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "applicant@example.com",
        "staff@example.com",
        "screener@example.com",
        "provider@example.com",
        "admin@example.com",
        "funder@example.com",
    ],
)
def test_demo_account_signs_in_with_the_demo_password(debug_on: None, email: str) -> None:
    call_command("loaddemo")

    user = authenticate(
        RequestFactory().post("/account/login/"), username=email, password=DEMO_PASSWORD
    )

    assert user is not None
    assert user.email == email
    assert user.email_verified_at is not None
    assert user.full_name


@pytest.mark.django_db
def test_demo_accounts_have_their_roles(debug_on: None) -> None:
    call_command("loaddemo")

    def roles(email: str) -> set[tuple[str, str]]:
        return set(
            ProgrammeTeamMember.objects.filter(user__email=email).values_list(
                "programme__slug", "role"
            )
        )

    assert roles("staff@example.com") == {
        ("upon-aspiring-directors", ProgrammeTeamMember.Role.MANAGER),
        ("upon-new-directors", ProgrammeTeamMember.Role.MANAGER),
    }
    assert roles("screener@example.com") == {
        ("upon-aspiring-directors", ProgrammeTeamMember.Role.SCREENER)
    }
    assert list(
        ProviderMembership.objects.filter(user__email="provider@example.com").values_list(
            "provider__slug", flat=True
        )
    ) == ["ipc"]
    assert list(
        ProviderMembership.objects.filter(user__email="funder@example.com").values_list(
            "provider__slug", "provider__kind"
        )
    ) == [("dfe", Provider.Kind.FUNDER)]
    assert set(
        ProgrammeTeamMember.objects.filter(user__email="staff@example.com").values_list(
            "can_see_reports", flat=True
        )
    ) == {True}
    applicant = User.objects.get(email="applicant@example.com")
    assert not applicant.is_staff
    assert not applicant.programme_roles.exists()
    assert not applicant.provider_memberships.exists()
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.django_db
def test_a_changed_demo_password_is_reset_on_the_next_run(debug_on: None) -> None:
    call_command("loaddemo")
    user = User.objects.get(email="staff@example.com")
    user.set_password("something-else-entirely")
    user.save()

    call_command("loaddemo")

    assert (
        authenticate(
            RequestFactory().post("/account/login/"),
            username="staff@example.com",
            password=DEMO_PASSWORD,
        )
        is not None
    )


@pytest.mark.django_db
def test_other_accounts_are_left_alone(debug_on: None) -> None:
    other = User.objects.create_user("someone@example.org", "their-own-password-1")

    call_command("loaddemo")

    other.refresh_from_db()
    assert other.check_password("their-own-password-1")
    assert not other.programme_roles.exists()


@pytest.mark.django_db
def test_refuses_to_run_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match=re.escape(REFUSED_WITHOUT_DEBUG)):
        call_command("loaddemo")

    assert not Programme.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_force_runs_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False

    call_command("loaddemo", "--force")

    assert Programme.objects.count() == len(DOMAIN_PROGRAMMES)
    assert User.objects.filter(email="admin@example.com", is_superuser=True).exists()


@pytest.mark.django_db
def test_the_demo_has_open_and_participants_only_resources_and_two_network_members(
    debug_on: None,
) -> None:
    call_command("loaddemo")

    visibilities = set(Resource.objects.published().values_list("visibility", flat=True))
    assert visibilities == {"open", "participants"}
    hannah = NetworkProfile.objects.get(user__email="hannah.lewis@example.com")
    assert hannah.see_alumni
    assert NetworkProfile.objects.filter(user__email="joseph.okoro@example.com").exists()


def _readme_secrets() -> dict[str, str]:
    """The authenticator secrets the README gives beside each demo account."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    return dict(
        re.findall(r"^\| `([^`]+@example\.com)` \|[^|]+\| `([A-Z2-7]{32})` \|$", readme, re.M)
    )


@pytest.mark.django_db
def test_privileged_demo_accounts_verify_with_the_readme_secrets(debug_on: None) -> None:
    call_command("loaddemo")
    secrets = _readme_secrets()

    assert sorted(secrets) == [
        "admin@example.com",
        "funder@example.com",
        "provider@example.com",
        "screener@example.com",
        "staff@example.com",
    ]
    for email, secret in secrets.items():
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        assert device.verify_token(pyotp.TOTP(secret).now()), email
    assert not TOTPDevice.objects.filter(user__email="applicant@example.com").exists()


@pytest.mark.django_db
def test_a_used_demo_app_is_left_alone_on_the_next_run(debug_on: None) -> None:
    call_command("loaddemo")
    device = TOTPDevice.objects.get(user__email="staff@example.com")
    assert device.verify_token(pyotp.TOTP(_readme_secrets()["staff@example.com"]).now())
    device.refresh_from_db()
    used = (device.pk, device.last_t, device.last_used_at)

    call_command("loaddemo")

    device.refresh_from_db()
    assert (device.pk, device.last_t, device.last_used_at) == used


@pytest.mark.django_db
def test_force_with_debug_off_loads_no_published_authenticator_secrets(settings: Any) -> None:
    settings.DEBUG = False

    call_command("loaddemo", "--force")

    assert User.objects.filter(email="staff@example.com").exists()
    assert not TOTPDevice.objects.exists()
