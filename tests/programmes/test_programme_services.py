"""Creating, editing and publishing programmes: the services behind the console's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from post_office.models import Email

from programmes.errors import (
    NO_ACCOUNT,
    NO_TEAM_EMAIL,
    SLUG_TAKEN,
    STALE_PROGRAMME,
    CannotPublish,
    NoAccount,
    SlugTaken,
    StaleProgramme,
)
from programmes.models import Programme, ProgrammeTeamMember
from programmes.services.programmes import programme_create, programme_publish, programme_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    return factories.UserFactory(email="morgan@example.org", full_name="Morgan Manager")


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    return factories.UserFactory(email="site.admin@example.org", is_superuser=True, is_staff=True)


def _latest_log(programme: Programme) -> LogEntry:
    return LogEntry.objects.get_for_object(programme).order_by("-timestamp", "-id").first()


def test_update_saves_only_what_changed_and_records_who(manager) -> None:
    programme = factories.ProgrammeFactory(title="Old title")
    seen = programme.updated_at

    saved = programme_update(
        programme=programme,
        data={"title": "New title", "contact_email": "team@example.org"},
        seen_updated_at=seen,
        by=manager,
    )

    programme.refresh_from_db()
    assert (programme.title, programme.contact_email) == ("New title", "team@example.org")
    assert saved.updated_at > seen
    log = _latest_log(programme)
    assert log.actor == manager
    assert set(log.changes_dict) == {"title", "contact_email"}


def test_update_refuses_when_the_programme_changed_since_the_form_was_opened(manager) -> None:
    programme = factories.ProgrammeFactory(title="Mine")
    seen = programme.updated_at
    programme_update(programme=programme, data={"title": "Theirs"}, by=manager)

    with pytest.raises(StaleProgramme) as refused:
        programme_update(
            programme=programme, data={"title": "Mine again"}, seen_updated_at=seen, by=manager
        )

    assert str(refused.value) == str(STALE_PROGRAMME)
    programme.refresh_from_db()
    assert programme.title == "Theirs"


def test_update_with_nothing_changed_saves_nothing(manager) -> None:
    programme = factories.ProgrammeFactory(title="Same")
    before = programme.updated_at
    entries = LogEntry.objects.count()

    programme_update(
        programme=programme,
        data={"title": "Same"},
        providers=list(programme.providers.all()),
        seen_updated_at=before,
        by=manager,
    )

    programme.refresh_from_db()
    assert programme.updated_at == before
    assert LogEntry.objects.count() == entries


def test_changing_only_the_providers_moves_updated_at(manager) -> None:
    programme = factories.ProgrammeFactory()
    other = factories.ProviderFactory(name="Another provider")
    before = programme.updated_at

    programme_update(programme=programme, data={}, providers=[other], by=manager)

    programme.refresh_from_db()
    assert list(programme.providers.all()) == [other]
    assert programme.updated_at > before


def test_update_refuses_a_fee_on_a_funded_programme(manager) -> None:
    programme = factories.ProgrammeFactory(cost_type="paid", cost_amount=Decimal("450.00"))

    with pytest.raises(ValidationError):
        programme_update(programme=programme, data={"cost_type": "funded"}, by=manager)

    programme.refresh_from_db()
    assert programme.cost_type == "paid"


def test_update_will_not_touch_the_slug_or_admission_mode(manager) -> None:
    programme = factories.ProgrammeFactory()

    with pytest.raises(ValueError, match="not editable"):
        programme_update(programme=programme, data={"slug": "new-address"}, by=manager)
    with pytest.raises(ValueError, match="not editable"):
        programme_update(programme=programme, data={"admission_mode": "first_come"}, by=manager)


def test_publishing_needs_a_team_email(manager) -> None:
    programme = factories.ProgrammeFactory(is_published=False, contact_email="")
    factories.CohortFactory(programme=programme)

    with pytest.raises(CannotPublish) as refused:
        programme_publish(programme=programme, publish=True, by=manager)

    assert str(refused.value) == str(NO_TEAM_EMAIL)
    programme.refresh_from_db()
    assert programme.is_published is False


def test_a_programme_without_cohorts_can_be_published_to_gather_interest(manager) -> None:
    programme = factories.ProgrammeFactory(is_published=False, contact_email="team@example.org")

    programme_publish(programme=programme, publish=True, by=manager)

    programme.refresh_from_db()
    assert programme.is_published is True
    assert _latest_log(programme).actor == manager


def test_publishing_twice_changes_nothing_the_second_time(manager) -> None:
    programme = factories.ProgrammeFactory(is_published=False, contact_email="team@example.org")
    programme_publish(programme=programme, publish=True, by=manager)
    programme.refresh_from_db()
    before, entries = programme.updated_at, LogEntry.objects.count()

    programme_publish(programme=programme, publish=True, by=manager)

    programme.refresh_from_db()
    assert programme.updated_at == before
    assert LogEntry.objects.count() == entries


def test_unpublishing_needs_no_team_email(manager) -> None:
    programme = factories.ProgrammeFactory(is_published=True, contact_email="")

    programme_publish(programme=programme, publish=False, by=manager)

    programme.refresh_from_db()
    assert programme.is_published is False


def _new(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "data": {
            "title": "Leading together",
            "summary": "A short course.",
            "description": "What it covers.",
            "themes": "",
            "audience": "senior_leader",
            "format": "online",
            "duration": "Two days",
            "cost_type": "funded",
            "cost_amount": None,
            "cost_note": "",
            "accreditation": "",
            "funder": None,
            "contact_email": "leading@example.org",
        },
        "providers": [factories.ProviderFactory()],
        "slug": "leading-together",
        "admission_mode": "first_come",
        "first_manager_email": "Morgan@Example.org",
    }
    return {**values, **overrides}


def test_create_makes_an_unpublished_programme_with_its_first_manager_told_by_email(
    admin, manager
) -> None:
    programme = programme_create(**_new(), by=admin)

    assert programme.is_published is False
    assert (programme.slug, programme.admission_mode) == ("leading-together", "first_come")
    member = ProgrammeTeamMember.objects.get(programme=programme)
    assert (member.user, member.role) == (manager, ProgrammeTeamMember.Role.MANAGER)
    email = Email.objects.get(to=["morgan@example.org"])
    assert "Leading together" in email.subject
    assert f"/manage/programmes/{programme.pk}/" in email.message
    assert _latest_log(programme).actor == admin


def test_create_refuses_an_address_with_no_account_and_makes_nothing(admin) -> None:
    with pytest.raises(NoAccount) as refused:
        programme_create(**_new(first_manager_email="nobody@example.org"), by=admin)

    assert str(refused.value) == str(NO_ACCOUNT) % {"email": "nobody@example.org"}
    assert not Programme.objects.filter(slug="leading-together").exists()
    assert not Email.objects.exists()


def test_create_refuses_a_closed_account(admin, manager) -> None:
    manager.is_active = False
    manager.save()

    with pytest.raises(NoAccount):
        programme_create(**_new(), by=admin)


def test_create_refuses_a_slug_in_use(admin, manager) -> None:
    factories.ProgrammeFactory(slug="leading-together")

    with pytest.raises(SlugTaken) as refused:
        programme_create(**_new(), by=admin)

    assert str(refused.value) == str(SLUG_TAKEN)
    assert Programme.objects.filter(slug="leading-together").count() == 1


def test_only_a_site_administrator_creates_programmes(manager) -> None:
    with pytest.raises(PermissionDenied):
        programme_create(**_new(), by=manager)

    assert not Programme.objects.filter(slug="leading-together").exists()


def test_seen_updated_at_is_compared_to_the_microsecond(manager) -> None:
    programme = factories.ProgrammeFactory()
    a_moment_before = programme.updated_at - dt.timedelta(microseconds=1)

    with pytest.raises(StaleProgramme):
        programme_update(
            programme=programme, data={"title": "x"}, seen_updated_at=a_moment_before, by=manager
        )
    assert timezone.is_aware(programme.updated_at)
