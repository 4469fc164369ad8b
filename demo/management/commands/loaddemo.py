"""Load the demo catalogue and one account per role.

Idempotent: every row is keyed by a natural key (slug, programme and cohort name, email) and is
saved only when a value differs, so a second run on the same day writes nothing, not even an
`updated_at`. Refuses to run with DEBUG off unless --force is given, because it creates accounts
with a published password. The demo authenticator apps, whose secrets are published too, are
never loaded with DEBUG off, not even with --force: there, privileged demo accounts set up
their own app at first sign-in, as real ones do.
"""

from __future__ import annotations

from base64 import b32decode
from collections import Counter
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from applications.models import EligibilityRule
from demo import catalogue as demo_data
from demo.applications import load_applications
from demo.participants import load_participants
from demo.resources import load_network, load_resources
from demo.rules import RULES
from programmes.models import Cohort, Programme, ProgrammeTeamMember, Provider, ProviderMembership

REFUSED_WITHOUT_DEBUG = (
    "loaddemo creates accounts with a published password, so it refuses to run with "
    "DEBUG off. Use --force if you really mean to load demo data here."
)

M = TypeVar("M", bound=models.Model)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, str]:
    """Create the row, or update only the fields that differ. Returns the row and what happened.

    Unlike update_or_create, an unchanged row is not saved, so auto_now fields keep their value.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), CREATED
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, UNCHANGED
    for name in changed:
        setattr(obj, name, values[name])
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=changed + auto_now)
    return obj, UPDATED


def load_providers() -> tuple[dict[str, Provider], Counter[str]]:
    rows: dict[str, Provider] = {}
    outcome: Counter[str] = Counter()
    for spec in demo_data.PROVIDERS:
        provider, status = _upsert(
            Provider,
            {"slug": spec.slug},
            {
                "name": spec.name,
                "kind": spec.kind,
                "website": spec.website,
                "description": spec.description,
            },
        )
        rows[spec.slug] = provider
        outcome[status] += 1
    return rows, outcome


def load_programmes(providers: dict[str, Provider]) -> tuple[dict[str, Programme], Counter[str]]:
    rows: dict[str, Programme] = {}
    outcome: Counter[str] = Counter()
    for spec in demo_data.PROGRAMMES:
        programme, status = _upsert(
            Programme,
            {"slug": spec.slug},
            {
                "title": spec.title,
                "summary": spec.summary,
                "description": spec.description,
                "themes": "\n".join(spec.themes),
                "audience": spec.audience,
                "format": spec.format,
                "duration": spec.duration,
                "cost_type": spec.cost_type,
                "cost_amount": spec.cost_amount,
                "cost_note": spec.cost_note,
                "accreditation": spec.accreditation,
                "contact_email": spec.contact_email,
                "admission_mode": spec.admission_mode,
                "is_published": spec.is_published,
                "funder": providers[spec.funder_slug] if spec.funder_slug else None,
            },
        )
        wanted = {providers[slug].pk for slug in spec.provider_slugs}
        current = set(programme.providers.values_list("pk", flat=True))
        if wanted != current:
            programme.providers.set(wanted)
            if status == UNCHANGED:
                status = UPDATED
        rows[spec.slug] = programme
        outcome[status] += 1
    return rows, outcome


def load_cohorts(
    programmes: dict[str, Programme],
) -> tuple[dict[tuple[str, str], Cohort], Counter[str]]:
    outcome: Counter[str] = Counter()
    rows: dict[tuple[str, str], Cohort] = {}
    for spec in demo_data.demo_cohorts(timezone.localdate()):
        cohort, status = _upsert(
            Cohort,
            {"programme": programmes[spec.programme_slug], "name": spec.name},
            {
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "applications_open_at": spec.applications_open_at,
                "applications_close_at": spec.applications_close_at,
                "capacity": spec.capacity,
                "delivery_mode": spec.delivery_mode,
                "venue": spec.venue,
                "offer_deadline_days": spec.offer_deadline_days,
            },
        )
        rows[(spec.programme_slug, spec.name)] = cohort
        outcome[status] += 1
    return rows, outcome


def load_rules(programmes: dict[str, Programme]) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for spec in RULES:
        _rule, status = _upsert(
            EligibilityRule,
            {"programme": programmes[spec.programme_slug], "position": spec.position},
            {"kind": spec.kind, "params": spec.params, "message": spec.message},
        )
        outcome[status] += 1
    return outcome


def load_account(
    spec: demo_data.AccountData,
    programmes: dict[str, Programme],
    providers: dict[str, Provider],
) -> tuple[User, str]:
    """Create or refresh one demo account and its role rows. Only demo emails are touched."""
    user = User.objects.filter(email__iexact=spec.email).first()
    if user is None:
        create = User.objects.create_superuser if spec.is_superuser else User.objects.create_user
        user = create(
            spec.email,
            demo_data.DEMO_PASSWORD,
            full_name=spec.full_name,
            email_verified_at=timezone.now(),
        )
        status = CREATED
    else:
        changed: list[str] = []
        wanted = {
            "full_name": spec.full_name,
            "is_active": True,
            "is_staff": spec.is_superuser,
            "is_superuser": spec.is_superuser,
        }
        for name, value in wanted.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            changed.append("email_verified_at")
        # Re-hashing on every run would change the stored hash (a new salt), so only reset a
        # demo password that someone has changed.
        if not user.check_password(demo_data.DEMO_PASSWORD):
            user.set_password(demo_data.DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        status = UPDATED if changed else UNCHANGED

    for programme_slug, role in spec.team_roles:
        _upsert(
            ProgrammeTeamMember,
            {"user": user, "programme": programmes[programme_slug]},
            # Managers see the programme's reports, as when added through the console.
            {"role": role, "can_see_reports": role == ProgrammeTeamMember.Role.MANAGER},
        )
    for provider_slug in spec.provider_slugs:
        ProviderMembership.objects.get_or_create(user=user, provider=providers[provider_slug])
    if spec.totp_secret and settings.DEBUG:
        load_demo_app(user, spec.totp_secret)
    return user, status


def load_demo_app(user: User, secret: str) -> None:
    """A confirmed authenticator app with the README's secret; left alone if already so."""
    key = b32decode(secret).hex()
    if TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists():
        return
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Demo authenticator app", key=key, confirmed=True)


def _describe(outcome: Counter[str]) -> str:
    total = sum(outcome.values())
    parts = [f"{outcome[key]} {key}" for key in (CREATED, UPDATED, UNCHANGED) if outcome[key]]
    return f"{total} ({', '.join(parts)})" if parts else "0"


class Command(BaseCommand):
    help = "Load the real programmes, demo cohorts and one demo account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load demo data even when DEBUG is off.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(REFUSED_WITHOUT_DEBUG)

        with transaction.atomic():
            providers, provider_outcome = load_providers()
            programmes, programme_outcome = load_programmes(providers)
            cohorts, cohort_outcome = load_cohorts(programmes)
            rule_outcome = load_rules(programmes)
            account_outcome: Counter[str] = Counter()
            accounts: list[User] = []
            for spec in demo_data.ACCOUNTS:
                user, status = load_account(spec, programmes, providers)
                accounts.append(user)
                account_outcome[status] += 1
            # Past cohorts' people first: load_applications then recounts every cohort's places.
            participant_outcome = load_participants(cohorts)
            application_outcome = load_applications(cohorts)
            resource_outcome = load_resources(programmes, timezone.localdate(), _upsert)
            network_outcome = load_network(programmes, _upsert)

        self.stdout.write(f"Providers:  {_describe(provider_outcome)}")
        self.stdout.write(f"Programmes: {_describe(programme_outcome)}")
        self.stdout.write(f"Cohorts:    {_describe(cohort_outcome)}")
        self.stdout.write(f"Rules:      {_describe(rule_outcome)}")
        self.stdout.write(f"Accounts:   {_describe(account_outcome)}")
        self.stdout.write(f"Applications: {_describe(application_outcome)}")
        self.stdout.write(f"Past participants: {_describe(participant_outcome)}")
        self.stdout.write(f"Resources:  {_describe(resource_outcome)}")
        self.stdout.write(f"Peer network profiles: {_describe(network_outcome)}")
        for user in accounts:
            self.stdout.write(f"  {user.email}  ({user.full_name})")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Every demo password: {demo_data.DEMO_PASSWORD}")
        )
        if settings.DEBUG:
            self.stdout.write("Authenticator app secrets of the privileged accounts: see README.")
        else:
            self.stdout.write(
                "DEBUG is off, so no demo authenticator apps were loaded: staff, screener, "
                "provider and admin set up their own at first sign-in."
            )
