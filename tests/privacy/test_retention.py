"""Retention: applicants unused for RETENTION_DAYS are anonymised, once, and nobody else."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from privacy import tasks
from privacy.models import PrivacyEvent
from tests import factories
from tests.authz.fingerprint import changed_tables, db_fingerprint

from .conftest import Person

pytestmark = pytest.mark.django_db


def _age(user: User, days: int) -> None:
    """Make `user` and their applications look untouched for `days`."""
    then = timezone.now() - dt.timedelta(days=days)
    User.objects.filter(pk=user.pk).update(date_joined=then, last_login=then)
    Application.objects.filter(applicant=user).update(updated_at=then, created_at=then)


@pytest.fixture
def retention(settings: Any) -> int:
    settings.RETENTION_DAYS = 365
    return 365


def test_an_inactive_applicant_is_anonymised_once(
    person: Person, retention: int, django_capture_on_commit_callbacks: Any
) -> None:
    _age(person.user, retention + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.inactive_accounts_anonymise_task() == 1
    user = User.objects.get(pk=person.user.pk)
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert not user.is_active
    assert Application.objects.get(pk=person.application.pk).state == "withdrawn"
    # Nobody asked, so no email goes to the old address.
    assert not PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.ACCOUNT_DELETED).exists()

    before = db_fingerprint()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.inactive_accounts_anonymise_task() == 0
    assert changed_tables(before, db_fingerprint()) == []
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.ACCOUNT_ANONYMISED).count() == 1


def test_staff_and_recent_applicants_are_left_alone(person: Person, retention: int) -> None:
    staff = factories.UserFactory(email="old.staff@example.org")
    factories.ProgrammeTeamMemberFactory(user=staff)
    provider = factories.UserFactory(email="old.provider@example.org")
    factories.ProviderMembershipFactory(user=provider)
    admin = factories.UserFactory(email="old.admin@example.org", is_staff=True)
    for user in (staff, provider, admin):
        _age(user, retention * 3)
    # Signed in long ago, but their application changed last month.
    _age(person.user, retention + 1)
    Application.objects.filter(pk=person.application.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=30)
    )
    recent = factories.UserFactory(email="recent@example.org")

    before = db_fingerprint()
    assert tasks.inactive_accounts_anonymise_task() == 0
    assert changed_tables(before, db_fingerprint()) == []
    assert recent.email in User.objects.values_list("email", flat=True)


def test_the_command_dry_run_changes_nothing_then_the_real_run_does(
    person: Person, retention: int
) -> None:
    _age(person.user, retention + 1)
    out = StringIO()
    before = db_fingerprint()
    call_command("anonymise_inactive", "--dry-run", stdout=out)
    assert "Would anonymise 1 accounts" in out.getvalue()
    assert changed_tables(before, db_fingerprint()) == []

    out = StringIO()
    call_command("anonymise_inactive", stdout=out)
    assert "Anonymised 1 accounts" in out.getvalue()
    assert not User.objects.get(pk=person.user.pk).is_active
