"""Team notes and assignment on an application's console page.

Notes and assignments are the team's: screeners and managers may both add and change
them; nobody outside the programme's team sees them, and the applicant never sees
them on their own pages. A note is in the applicant's data download (right of
access), with the team, not a named person, as its author.
"""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from applications.models import Application, ApplicationNote
from applications.models import ApplicationState as S
from applications.services.assignment import (
    NOT_IN_TEAM,
    AssignmentRefused,
    application_assign,
)
from applications.services.notes import (
    NOTE_EMPTY,
    NOTE_MAX_LENGTH,
    NOTE_NOT_IN_TEAM,
    NOTE_ON_DRAFT,
    NoteRefused,
    application_note_add,
)
from console.forms.notes import CHOOSE_TEAM_MEMBER
from privacy.models import PrivacyEvent
from privacy.selectors import personal_data
from privacy.services.erasure import account_erase
from tests import factories

from .conftest import make_application, messages_of
from .html import attr, find, find_all, page, text

pytestmark = pytest.mark.django_db


def _note(client: Client, application: Application, note: str) -> Any:
    return client.post(reverse("manage:application_note", args=[application.pk]), {"text": note})


def _assign(client: Client, application: Application, to: Any) -> Any:
    value = "" if to is None else getattr(to, "pk", to)
    return client.post(reverse("manage:assign", args=[application.pk]), {"assigned_to": value})


def _logs() -> Any:
    """Audit-log entries of applications: assignments (the team's own are logged too)."""
    return LogEntry.objects.filter(
        content_type__app_label="applications", content_type__model="application"
    )


def _page(client: Client, application: Application) -> Any:
    return client.get(reverse("manage:application", args=[application.pk]))


# --- Notes -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "screener"])
def test_team_members_add_notes_shown_newest_first_with_author_and_time(
    cohort, manager, screener, who
) -> None:
    application = make_application(cohort)
    client = Client()
    client.force_login(manager if who == "manager" else screener)
    for words in ["Called the sponsor.", "Sponsor confirmed the role."]:
        response = _note(client, application, f"  {words}  ")
        assert response.status_code == 302
        assert response["Location"].endswith("#notes")
    assert "Note added." in messages_of(response)
    notes = find_all(find(page(_page(client, application)), "ol", "notes"), "li")
    assert [text(n).split(", ", 1)[0] for n in notes] == [
        "Morgan Manager" if who == "manager" else "Sam Screener"
    ] * 2
    assert "Sponsor confirmed the role." in text(notes[0])
    assert "Called the sponsor." in text(notes[1])
    assert ApplicationNote.objects.filter(application=application).count() == 2
    assert ApplicationNote.objects.first().text == "Called the sponsor."  # stripped


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_an_empty_note_is_a_400_with_the_reason(cohort, manager_client, note) -> None:
    application = make_application(cohort)
    response = _note(manager_client, application, note)
    assert response.status_code == 400
    assert str(NOTE_EMPTY) in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert not ApplicationNote.objects.exists()


def test_a_note_may_be_2000_characters_and_no_more(cohort, manager_client) -> None:
    application = make_application(cohort)
    assert _note(manager_client, application, "x" * NOTE_MAX_LENGTH).status_code == 302
    response = _note(manager_client, application, "y" * (NOTE_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert "A note can be up to 2,000 characters long. This one has 2,001" in (
        response.content.decode()
    )
    assert list(ApplicationNote.objects.values_list("text", flat=True)) == ["x" * 2000]


def test_people_outside_the_team_cannot_add_or_see_notes(cohort, other_manager) -> None:
    application = make_application(cohort)
    application_note_add(application=application, text="Private to the team", by=_admin())
    for user in [other_manager, application.applicant, factories.UserFactory()]:
        client = Client()
        client.force_login(user)
        assert _note(client, application, "Hello").status_code == 404
        assert _page(client, application).status_code == 404
    assert ApplicationNote.objects.count() == 1


def test_notes_can_only_be_posted(cohort, manager_client) -> None:
    application = make_application(cohort)
    url = reverse("manage:application_note", args=[application.pk])
    assert manager_client.get(url).status_code == 405


def _admin():  # type: ignore[no-untyped-def]
    return factories.UserFactory(is_superuser=True, is_staff=True)


def test_the_note_service_guards_itself(cohort, manager, other_manager) -> None:
    application = make_application(cohort)
    with pytest.raises(NoteRefused, match=str(NOTE_NOT_IN_TEAM)):
        application_note_add(application=application, text="Hi", by=other_manager)
    with pytest.raises(NoteRefused, match=str(NOTE_EMPTY)):
        application_note_add(application=application, text=" ", by=manager)
    with pytest.raises(NoteRefused, match="up to 2,000 characters"):
        application_note_add(application=application, text="z" * 2001, by=manager)
    with pytest.raises(NoteRefused, match=str(NOTE_ON_DRAFT)):
        application_note_add(application=make_application(cohort, S.DRAFT), text="Hi", by=manager)
    assert not ApplicationNote.objects.exists()


def test_the_applicants_own_pages_never_show_team_notes(cohort, manager) -> None:
    application = make_application(cohort, S.NEEDS_REVIEW)
    application_note_add(application=application, text="SECRET-TEAM-NOTE", by=manager)
    application_assign(application=application, to=manager, by=manager)
    client = Client()
    client.force_login(application.applicant)
    for url in [
        reverse("applications:list"),
        reverse("applications:detail", args=[application.pk]),
        reverse("accounts:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "SECRET-TEAM-NOTE" not in html, url
        assert "Morgan Manager" not in html, url


def test_the_data_download_holds_notes_without_naming_staff(cohort, manager) -> None:
    """A note about a person is their personal data (UK GDPR article 15): it is in the
    copy they ask for. Who wrote it is the team, as in the history."""
    application = make_application(cohort)
    application_note_add(application=application, text="Strong on partnership work.", by=manager)
    data = personal_data(user=application.applicant).data
    [exported] = data["applications"]
    assert [n["note"] for n in exported["team_notes"]] == ["Strong on partnership work."]
    assert exported["team_notes"][0]["by"] == "the programme team"
    assert "Morgan Manager" not in str(data) and manager.email not in str(data)


def test_erasing_the_account_erases_the_notes_about_them(cohort, manager) -> None:
    application = make_application(cohort, S.REJECTED)
    other = make_application(cohort)
    application_note_add(application=application, text="About them", by=manager)
    application_note_add(application=other, text="About someone else", by=manager)
    account_erase(user=application.applicant, kind=PrivacyEvent.Kind.ACCOUNT_DELETED, notify=False)
    assert list(ApplicationNote.objects.values_list("text", flat=True)) == ["About someone else"]


def test_the_page_shows_what_was_submitted_before_the_forms(cohort, manager_client) -> None:
    application = make_application(cohort, snapshot={"full_name": "Alex", "job_title": "Head"})
    html = _page(manager_client, application).content.decode()
    details = html.index("Details at submission")
    for form in ["decide-form", "reject-form", "assign-form", "note-form"]:
        assert details < html.index(form), form


# --- Assignment --------------------------------------------------------------------------


def test_a_manager_assigns_to_a_screener_and_the_change_is_recorded(
    cohort, manager, screener, manager_client
) -> None:
    application = make_application(cohort)
    updated = Application.objects.get(pk=application.pk).updated_at
    response = _assign(manager_client, application, screener)
    assert response.status_code == 302
    assert "Assigned to Sam Screener." in messages_of(response)
    changed = Application.objects.get(pk=application.pk)
    assert changed.assigned_to == screener
    assert changed.updated_at == updated  # the team's bookkeeping, not a change to it
    log = _logs().get()
    assert log.actor == manager and log.changes == {"assigned_to": ["", "Sam Screener"]}
    assert log.object_id == application.pk and "@" not in log.object_repr
    root = page(_page(manager_client, application))
    assert "Morgan Manager assigned it to Sam Screener" in text(find(root, "ul", "assignments"))
    options = find_all(find(root, "form", "assign-form"), "option")
    chosen = [o for o in options if "selected" in dict(o.attributes)]
    assert [attr(o, "value") for o in chosen] == [str(screener.pk)]


def test_a_screener_may_take_an_application_and_give_it_back(
    cohort, screener, screener_client
) -> None:
    application = make_application(cohort)
    assert _assign(screener_client, application, screener).status_code == 302
    response = _assign(screener_client, application, None)
    assert response.status_code == 302
    assert "The application is not assigned to anyone now." in messages_of(response)
    assert Application.objects.get(pk=application.pk).assigned_to is None
    assert [log.changes["assigned_to"] for log in _logs().order_by("id")] == [
        ["", "Sam Screener"],
        ["Sam Screener", ""],
    ]


def test_assigning_again_to_the_same_person_records_nothing_new(
    cohort, screener, manager_client
) -> None:
    application = make_application(cohort)
    _assign(manager_client, application, screener)
    assert _assign(manager_client, application, screener).status_code == 302
    assert _logs().count() == 1


@pytest.mark.parametrize(
    "who", ["outsider", "other_team", "applicant", "not-a-number", "-1", "99999999999999999999"]
)
def test_assigning_to_someone_outside_the_team_is_a_400_and_changes_nothing(
    cohort, manager_client, other_manager, who
) -> None:
    application = make_application(cohort)
    target: Any = {
        "outsider": factories.UserFactory(),
        "other_team": other_manager,
        "applicant": application.applicant,
    }.get(who, who)
    response = _assign(manager_client, application, target)
    assert response.status_code == 400
    assert escape(str(CHOOSE_TEAM_MEMBER)) in response.content.decode()
    assert Application.objects.get(pk=application.pk).assigned_to is None
    assert not _logs().exists()


def test_assigning_is_refused_by_the_service_too_with_a_409(
    cohort, manager_client, monkeypatch
) -> None:
    """If the team changes between the form and the service, the service still refuses."""
    import console.views.notes as team_views

    outsider = factories.UserFactory(full_name="Olly Outsider")
    real = team_views.assignable_team

    def with_outsider(*, programme):  # type: ignore[no-untyped-def]
        fake = factories.ProgrammeTeamMemberFactory.build(user=outsider, programme=programme)
        return [*real(programme=programme), fake]

    monkeypatch.setattr(team_views, "assignable_team", with_outsider)
    application = make_application(cohort)
    response = _assign(manager_client, application, outsider)
    assert response.status_code == 409
    assert escape(str(NOT_IN_TEAM % {"name": "Olly Outsider"})) in response.content.decode()
    assert Application.objects.get(pk=application.pk).assigned_to is None
    assert not _logs().exists()


def test_the_assign_service_guards_itself(cohort, manager, screener, other_manager) -> None:
    application = make_application(cohort)
    screener.is_active = False
    screener.save(update_fields=["is_active"])
    for to, by in [(other_manager, manager), (screener, manager), (manager, other_manager)]:
        with pytest.raises(AssignmentRefused):
            application_assign(application=application, to=to, by=by)
    with pytest.raises(AssignmentRefused):
        application_assign(application=make_application(cohort, S.DRAFT), to=manager, by=manager)
    assert not Application.objects.filter(assigned_to__isnull=False).exists()
    assert not _logs().exists()


def test_the_assign_list_is_the_programmes_team_and_nobody(
    cohort, manager, screener, other_manager, manager_client
) -> None:
    application = make_application(cohort)
    root = page(_page(manager_client, application))
    options = find_all(find(root, "form", "assign-form"), "option")
    assert [text(o) for o in options] == [
        "Nobody",
        "Morgan Manager, programme team",
        "Sam Screener, screener",
    ]


def test_people_outside_the_team_cannot_assign(cohort, screener, other_manager) -> None:
    application = make_application(cohort)
    for user in [other_manager, application.applicant]:
        client = Client()
        client.force_login(user)
        assert _assign(client, application, screener).status_code == 404
    assert Application.objects.get(pk=application.pk).assigned_to is None
