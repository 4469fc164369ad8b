"""Programmes in the console: the list, a programme's page, editing, preview, publishing
and creating. Requests the pages do not offer change nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from post_office.models import Email

from accounts.models import User
from console.forms.programmes import STALE_FORM
from console.views.programmes import ADMINS_ONLY, MANAGERS_ONLY, PUBLISHED, UNPUBLISHED
from pages.navigation import CONSOLE, SESSION_KEY
from programmes.errors import NO_ACCOUNT, NO_TEAM_EMAIL, SLUG_TAKEN, STALE_PROGRAMME
from programmes.models import (
    PROGRAMME_FEE_NEGATIVE,
    PROGRAMME_FUNDED_WITH_FEE,
    Programme,
    ProgrammeTeamMember,
    Provider,
)
from tests import factories
from tests.queries import session_reads
from tests.second_factor import session_pass_second_factor

from .conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(cohort):  # type: ignore[no-untyped-def]
    programme = cohort.programme
    programme.title = "Upon aspiring directors"
    programme.contact_email = "upon@example.org"
    programme.save()
    return programme


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser(
        "site.admin@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )


@pytest.fixture
def admin_client(admin) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin)
    return client


def _snapshot(programme: Programme) -> tuple[object, ...]:
    fresh = Programme.objects.get(pk=programme.pk)
    return (
        {f.attname: getattr(fresh, f.attname) for f in Programme._meta.concrete_fields},
        sorted(fresh.providers.values_list("pk", flat=True)),
        LogEntry.objects.count(),
    )


def _form_data(programme: Programme, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": programme.title,
        "summary": programme.summary,
        "description": programme.description,
        "themes": programme.themes,
        "audience": programme.audience,
        "format": programme.format,
        "duration": programme.duration,
        "cost_type": programme.cost_type,
        "cost_amount": programme.cost_amount if programme.cost_amount is not None else "",
        "cost_note": programme.cost_note,
        "accreditation": programme.accreditation,
        "funder": programme.funder_id or "",
        "contact_email": programme.contact_email,
        "providers": [p.pk for p in programme.providers.all()],
        "updated_at": programme.updated_at.isoformat(),
    }
    data.update(changes)
    return data


def _field_error(body: str, field: str) -> str:
    """The error text shown beside a field (crispy's invalid-feedback under it)."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', body, re.S)
    assert match, f"no error beside {field}"
    return match.group(1).strip()


# --- The list ------------------------------------------------------------------


def test_the_list_shows_my_programmes_with_state_and_cohorts(
    manager_client, programme, cohort
) -> None:
    factories.CohortFactory(programme=programme)
    draft = factories.ProgrammeFactory(title="Draft programme", is_published=False)
    factories.ProgrammeTeamMemberFactory(
        user=User.objects.get(email="manager@example.org"),
        programme=draft,
        role=ProgrammeTeamMember.Role.SCREENER,
    )
    factories.ProgrammeFactory(title="Somebody else's")

    body = manager_client.get(reverse("manage:programmes")).content.decode()

    rows = re.findall(r'<tr data-programme="\d+">.*?</tr>', body, re.S)
    assert len(rows) == 2
    assert "Draft programme" in rows[0] and "Not published" in rows[0] and "Screener" in rows[0]
    assert "Upon aspiring directors" in rows[1] and "Published" in rows[1]
    assert ">2</td>" in rows[1] and "Manager" in rows[1]
    assert "Somebody else" not in body
    assert "Create a programme" not in body


def test_someone_in_no_team_sees_an_empty_list(client) -> None:
    client.force_login(factories.UserFactory())

    body = client.get(reverse("manage:programmes")).content.decode()

    assert "You are not in the team of any programme." in body


def test_a_site_administrator_sees_every_programme_and_may_create(admin_client) -> None:
    factories.ProgrammeFactory(title="First")
    factories.ProgrammeFactory(title="Second")

    body = admin_client.get(reverse("manage:programmes")).content.decode()

    assert len(re.findall(r"<tr data-programme=", body)) == 2
    assert "Site administrator" in body
    assert reverse("manage:programme_create") in body


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_programmes(
    n, manager, manager_client, django_assert_num_queries
) -> None:
    for _ in range(n):
        programme = factories.ProgrammeFactory()
        factories.CohortFactory(programme=programme)
        factories.ProgrammeTeamMemberFactory(user=manager, programme=programme)

    # the session (unless Redis keeps it), user, programmes with counts and role
    with django_assert_num_queries(session_reads() + 2):
        response = manager_client.get(reverse("manage:programmes"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == n + 1


def test_the_list_puts_the_header_link_right_for_someone_removed(client, cohort) -> None:
    user = factories.UserFactory()
    member = factories.ProgrammeTeamMemberFactory(user=user, programme=cohort.programme)
    client.force_login(user)
    assert CONSOLE in client.session[SESSION_KEY]
    member.delete()

    client.get(reverse("manage:programmes"))

    assert CONSOLE not in client.session[SESSION_KEY]


def test_the_programme_page_gives_the_link_to_someone_added_since_signing_in(
    client, programme
) -> None:
    user = factories.UserFactory()
    client.force_login(user)
    assert CONSOLE not in client.session[SESSION_KEY]
    factories.ProgrammeTeamMemberFactory(user=user, programme=programme)
    # The console asks the new team member for a second factor first (docs/adr/0010).
    session_pass_second_factor(client, user)

    client.get(reverse("manage:programme", args=[programme.pk]))

    assert CONSOLE in client.session[SESSION_KEY]


# --- A programme's page -----------------------------------------------------------


def test_the_programme_page_shows_details_cohorts_actions_and_history(
    manager_client, programme, cohort, manager
) -> None:
    from auditlog.context import set_actor

    with set_actor(manager):
        programme.duration = "Nine months"
        programme.save()

    body = manager_client.get(reverse("manage:programme", args=[programme.pk])).content.decode()

    assert "<h1>Upon aspiring directors</h1>" in body
    assert f'href="{reverse("manage:cohort", args=[cohort.pk])}"' in body
    for name in ("programme_edit", "programme_preview", "team"):
        assert reverse(f"manage:{name}", args=[programme.pk]) in body
    assert "Unpublish the programme" in body
    assert 'href="mailto:upon@example.org"' in body
    history = body.split('id="history-heading"')[1]
    assert "Nine months" in history and "Morgan Manager" in history


def test_a_screener_sees_the_programme_without_anything_to_change(
    screener_client, programme
) -> None:
    body = screener_client.get(reverse("manage:programme", args=[programme.pk])).content.decode()

    assert reverse("manage:programme_preview", args=[programme.pk]) in body
    assert reverse("manage:programme_edit", args=[programme.pk]) not in body
    assert reverse("manage:programme_publish", args=[programme.pk]) not in body


def test_people_outside_the_team_get_404(client, programme, other_manager) -> None:
    client.force_login(other_manager)

    for name in ("programme", "programme_edit", "programme_preview", "team"):
        assert client.get(reverse(f"manage:{name}", args=[programme.pk])).status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_the_programme_page_costs_the_same_queries_for_3_or_30_cohorts(
    n, programme, manager, manager_client, django_assert_num_queries
) -> None:
    from auditlog.context import set_actor

    for i in range(n):
        with set_actor(manager):
            factories.CohortFactory(programme=programme, name=f"Extra {i}")
    ContentType.objects.get_for_model(Programme)  # cached from here on, as in a running site

    # session, user, programme, providers, role, cohorts with availability, history
    with django_assert_num_queries(session_reads() + 6):
        response = manager_client.get(reverse("manage:programme", args=[programme.pk]))

    assert len(response.context["cohorts"]) == n + 1


# --- Editing ------------------------------------------------------------------------


def test_a_manager_edits_the_details(manager_client, programme, manager) -> None:
    funder = factories.ProviderFactory(name="The Department", kind=Provider.Kind.FUNDER)
    url = reverse("manage:programme_edit", args=[programme.pk])

    response = manager_client.post(
        url,
        _form_data(
            programme,
            title="Upon: aspiring directors",
            cost_type="funded",
            cost_amount="",
            funder=funder.pk,
            contact_email="aspiring@example.org",
        ),
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Upon: aspiring directors"
    assert (programme.cost_type, programme.cost_amount) == ("funded", None)
    assert programme.funder == funder
    assert programme.contact_email == "aspiring@example.org"
    assert LogEntry.objects.get_for_object(programme).latest("timestamp").actor == manager


def test_the_edit_form_shows_the_fixed_slug_and_admission_mode(manager_client, programme) -> None:
    body = manager_client.get(reverse("manage:programme_edit", args=[programme.pk])).content
    body = body.decode()

    assert f"/programmes/{programme.slug}/" in body
    assert 'name="slug"' not in body and 'name="admission_mode"' not in body
    assert "cannot be changed here" in body
    assert f'value="{programme.updated_at.isoformat()}"' in body


def test_a_posted_slug_or_admission_mode_is_ignored(manager_client, programme) -> None:
    slug, mode = programme.slug, programme.admission_mode

    manager_client.post(
        reverse("manage:programme_edit", args=[programme.pk]),
        _form_data(programme, slug="elsewhere", admission_mode="first_come", title="Renamed"),
    )

    programme.refresh_from_db()
    assert (programme.title, programme.slug, programme.admission_mode) == ("Renamed", slug, mode)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cost_type": "funded", "cost_amount": "450"}, "cost_amount", PROGRAMME_FUNDED_WITH_FEE),
        ({"cost_amount": "-5"}, "cost_amount", PROGRAMME_FEE_NEGATIVE),
        ({"title": ""}, "title", "Enter the programme's title."),
        ({"providers": []}, "providers", "Choose at least one provider"),
        ({"contact_email": "not an address"}, "contact_email", "Enter the team email"),
    ],
)
def test_bad_details_are_shown_beside_the_field_and_nothing_is_saved(
    manager_client, programme, changes, field, message
) -> None:
    before = _snapshot(programme)

    response = manager_client.post(
        reverse("manage:programme_edit", args=[programme.pk]), _form_data(programme, **changes)
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert escape(str(message))[:30] in _field_error(body, field)
    assert "There is a problem" in body
    assert _snapshot(programme) == before


def test_a_stale_edit_is_refused_and_saves_nothing(manager_client, programme, manager) -> None:
    opened = _form_data(programme, title="My title")
    from programmes.services.programmes import programme_update

    programme_update(programme=programme, data={"duration": "Ten months"}, by=manager)
    before = _snapshot(programme)

    response = manager_client.post(reverse("manage:programme_edit", args=[programme.pk]), opened)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this programme since you opened the page" in body
    assert str(STALE_PROGRAMME).startswith("Someone else changed this programme")
    assert "Open the latest version" in body
    assert _snapshot(programme) == before


def test_an_edit_without_the_page_version_is_refused(manager_client, programme) -> None:
    before = _snapshot(programme)

    response = manager_client.post(
        reverse("manage:programme_edit", args=[programme.pk]),
        _form_data(programme, title="x", updated_at="yesterday"),
    )

    assert response.status_code == 400
    assert escape(str(STALE_FORM)) in response.content.decode()
    assert _snapshot(programme) == before


def test_a_screener_cannot_edit(screener_client, programme) -> None:
    before = _snapshot(programme)
    url = reverse("manage:programme_edit", args=[programme.pk])

    assert screener_client.get(url).status_code == 403
    response = screener_client.post(url, _form_data(programme, title="Screened"))

    assert response.status_code == 403
    assert escape(str(MANAGERS_ONLY)) in response.content.decode()
    assert _snapshot(programme) == before


def test_a_manager_of_another_programme_cannot_edit_this_one(
    client, programme, other_manager
) -> None:
    client.force_login(other_manager)
    before = _snapshot(programme)

    response = client.post(
        reverse("manage:programme_edit", args=[programme.pk]), _form_data(programme, title="x")
    )

    assert response.status_code == 404
    assert _snapshot(programme) == before


# --- Preview ----------------------------------------------------------------------------


def test_the_preview_shows_an_unpublished_programme_with_a_banner(
    manager_client, client, programme
) -> None:
    programme.is_published = False
    programme.save()

    response = manager_client.get(reverse("manage:programme_preview", args=[programme.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview: not published" in body
    assert "<h1>Upon aspiring directors</h1>" in body
    assert "Contact the programme team:" in body
    assert "programmes/programme_detail.html" in [template.name for template in response.templates]
    assert client.get(programme.get_absolute_url()).status_code == 404


def test_screeners_may_preview(screener_client, programme) -> None:
    response = screener_client.get(reverse("manage:programme_preview", args=[programme.pk]))

    assert response.status_code == 200
    assert "Preview: published" in response.content.decode()


# --- Publishing -------------------------------------------------------------------------


def _publish(client: Client, programme: Programme, **data: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("manage:programme_publish", args=[programme.pk]), data)


def test_publishing_puts_the_programme_in_the_directory(manager_client, client, programme) -> None:
    programme.is_published = False
    programme.save()

    response = _publish(manager_client, programme, action="publish")

    assert response.status_code == 302
    assert str(PUBLISHED) in messages_of(response)
    assert client.get(programme.get_absolute_url()).status_code == 200


def test_publishing_without_a_team_email_is_refused(manager_client, programme) -> None:
    programme.is_published = False
    programme.contact_email = ""
    programme.save()
    before = _snapshot(programme)

    response = _publish(manager_client, programme, action="publish")

    assert response.status_code == 409
    assert escape(str(NO_TEAM_EMAIL)) in response.content.decode()
    assert _snapshot(programme) == before


def test_unpublishing_a_programme_with_open_cohorts_asks_first(manager_client, programme) -> None:
    before = _snapshot(programme)

    response = _publish(manager_client, programme, action="unpublish")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Are you sure you want to unpublish this programme?" in body
    assert "Spring cohort" in body
    assert _snapshot(programme) == before

    confirmed = _publish(manager_client, programme, action="unpublish", confirm="on")

    assert confirmed.status_code == 302
    assert str(UNPUBLISHED) in messages_of(confirmed)
    programme.refresh_from_db()
    assert programme.is_published is False


def test_unpublishing_with_no_open_cohort_needs_no_confirmation(manager_client, programme) -> None:
    today = timezone.localdate()
    programme.cohorts.update(starts_on=today - dt.timedelta(days=200), ends_on=today)

    response = _publish(manager_client, programme, action="unpublish")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.is_published is False


def test_publishing_again_changes_nothing(manager_client, programme) -> None:
    before = _snapshot(programme)

    response = _publish(manager_client, programme, action="publish")

    assert response.status_code == 302
    assert _snapshot(programme) == before


def test_a_screener_cannot_publish_or_unpublish(screener_client, programme) -> None:
    before = _snapshot(programme)

    response = _publish(screener_client, programme, action="unpublish", confirm="on")

    assert response.status_code == 403
    assert _snapshot(programme) == before


def test_a_made_up_publish_action_is_refused(manager_client, programme) -> None:
    before = _snapshot(programme)

    response = _publish(manager_client, programme, action="delete")

    assert response.status_code == 400
    assert _snapshot(programme) == before


# --- Creating ---------------------------------------------------------------------------


def _new_programme(**changes: object) -> dict[str, object]:
    provider = factories.ProviderFactory(name="The Staff College")
    data: dict[str, object] = {
        "title": "Leading in Wales",
        "slug": "",
        "summary": "A course for leaders in Wales.",
        "description": "Two days on leading services in Wales.",
        "themes": "",
        "audience": "senior_leader",
        "format": "face_to_face",
        "duration": "Two days",
        "cost_type": "paid",
        "cost_amount": "300",
        "cost_note": "Indicative fee",
        "accreditation": "",
        "funder": "",
        "contact_email": "wales@example.org",
        "providers": [provider.pk],
        "admission_mode": "first_come",
        "first_manager": "manager@example.org",
    }
    data.update(changes)
    return data


def test_a_site_administrator_creates_a_programme_with_its_first_manager(
    admin_client, manager
) -> None:
    response = admin_client.post(reverse("manage:programme_create"), _new_programme())

    programme = Programme.objects.get(slug="leading-in-wales")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:programme", args=[programme.pk])
    assert programme.is_published is False
    assert programme.admission_mode == "first_come"
    assert programme.cost_amount == Decimal("300")
    assert list(programme.team.values_list("user__email", "role")) == [
        ("manager@example.org", "manager")
    ]
    assert Email.objects.filter(to=["manager@example.org"]).count() == 1


def test_creating_for_an_address_without_an_account_is_refused(admin_client) -> None:
    response = admin_client.post(
        reverse("manage:programme_create"), _new_programme(first_manager="New.Person@example.org")
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "There is no account with the email address New.Person@example.org" in body
    assert "create an account on this site first" in str(NO_ACCOUNT)
    assert not Programme.objects.filter(slug="leading-in-wales").exists()
    assert not User.objects.filter(email__iexact="new.person@example.org").exists()


def test_a_web_address_in_use_is_refused(admin_client, manager) -> None:
    factories.ProgrammeFactory(slug="leading-in-wales")

    response = admin_client.post(reverse("manage:programme_create"), _new_programme())

    assert response.status_code == 400
    assert escape(str(SLUG_TAKEN)) in _field_error(response.content.decode(), "slug")
    assert Programme.objects.filter(slug="leading-in-wales").count() == 1


def test_a_chosen_web_address_is_used(admin_client, manager) -> None:
    admin_client.post(reverse("manage:programme_create"), _new_programme(slug="wales-leaders"))

    assert Programme.objects.filter(slug="wales-leaders").exists()


@pytest.mark.parametrize("who", ["manager", "screener"])
def test_only_site_administrators_create_programmes(request, who, cohort) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(who))
    count = Programme.objects.count()

    assert client.get(reverse("manage:programme_create")).status_code == 403
    response = client.post(reverse("manage:programme_create"), _new_programme())

    assert response.status_code == 403
    assert escape(str(ADMINS_ONLY)) in response.content.decode()
    assert Programme.objects.count() == count


def test_bad_details_on_a_new_programme_are_shown_and_nothing_is_made(
    admin_client, manager
) -> None:
    page = admin_client.get(reverse("manage:programme_create"))
    assert page.status_code == 200
    assert 'name="slug"' in page.content.decode()

    response = admin_client.post(
        reverse("manage:programme_create"),
        _new_programme(cost_type="funded", admission_mode="", first_manager=""),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert escape(str(PROGRAMME_FUNDED_WITH_FEE))[:30] in _field_error(body, "cost_amount")
    assert "Choose how people get a place." in _field_error(body, "admission_mode")
    assert "first manager" in _field_error(body, "first_manager")
    assert not Programme.objects.filter(slug="leading-in-wales").exists()
