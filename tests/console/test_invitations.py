"""Inviting named people to invitation cohorts: one by one and from a CSV file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import CurrentRole, EmployerType, LocalAuthority, Nation, Profile, User
from applications.models import Application, ApplicationEvent, ApplicationState, InvitationImport
from applications.services import invitations
from applications.services.invitations import (
    COHORT_CANCELLED,
    INVITE,
    INVITED,
    NOT_IN_PREVIEW,
    NOT_INVITED,
    NOTHING_TO_INVITE,
    REFUSE,
    ROW_ALREADY_INVITED,
    ROW_BAD_DATE,
    ROW_DUPLICATE_IN_FILE,
    ROW_FUTURE_DATE,
    ROW_HOLDS_ANOTHER_PLACE,
    ROW_INVALID_EMAIL,
    ROW_LOOKS_LIKE_A_FORMULA,
    ROW_MISSING_NAME,
    ROW_NO_PLACES_LEFT,
    ROW_OFFERS_CLOSED,
    ROW_UNKNOWN_AUTHORITY,
    SKIP,
    AuthorityIndex,
    NotByInvitation,
    invitation_create,
    invitation_import_create,
    invitation_rows_check,
    row_beyond_places,
)
from console.forms import invitations as invitation_forms
from console.forms.invitations import (
    ENCODING_NOTE,
    FILE_BAD_HEADERS,
    FILE_EMPTY,
    FILE_IS_SPREADSHEET,
    FILE_NO_ROWS,
    FILE_NOT_CSV,
    FILE_REQUIRED,
    FILE_TOO_LARGE,
    FILE_TOO_MANY_ROWS,
)
from console.views.invitations import DISCARDED, MANAGERS_ONLY
from portal.validators import LOOKS_LIKE_A_FORMULA
from programmes.models import AdmissionMode, Cohort, ProgrammeTeamMember
from tests import factories
from tests.queries import session_reads

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an-unusual-passphrase-for-a-new-director-9"
HEADER = "name,email,local_authority,appointment_date"


@pytest.fixture
def cohort() -> Cohort:
    programme = factories.ProgrammeFactory(
        title="Upon: new directors", admission_mode=AdmissionMode.INVITATION
    )
    return factories.CohortFactory(programme=programme, name="Spring", capacity=10)


@pytest.fixture
def manager(cohort: Cohort) -> User:
    user = factories.UserFactory(email="team@example.org")
    factories.ProgrammeTeamMemberFactory(
        user=user, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    return user


@pytest.fixture
def staff_client(manager: User) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def _authority(name: str) -> LocalAuthority:
    return LocalAuthority.objects.get(name=name)


def _csv(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> SimpleUploadedFile:
    body = "\r\n".join([header, *lines]) + "\r\n"
    return SimpleUploadedFile("people.csv", body.encode(encoding), content_type="text/csv")


def _rows(*lines: str, header: str = HEADER) -> list[dict[str, str]]:
    """What the upload form hands the service for these lines."""
    form = invitation_forms.InvitationImportForm(
        data={}, files={"file": _csv(*lines, header=header)}
    )
    assert form.is_valid(), form.errors
    return form.cleaned_data["file"]


def _link(body: str, path_pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({path_pattern})", body)
    assert match, body
    return match.group(1)


# --- One person ----------------------------------------------------------------


def test_inviting_a_new_person_makes_an_account_an_offer_and_an_email_with_a_claim_link(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("manage:invite", args=[cohort.pk]),
            {
                "full_name": "Nia Jones",
                "email": "Nia.Jones@Example.org",
                "local_authority": _authority("Cardiff").pk,
                "appointed_on": "01/03/2024",
            },
        )

    assert response.status_code == 302
    assert response.url == reverse("manage:invite", args=[cohort.pk])
    user = User.objects.get(email="nia.jones@example.org")
    assert user.full_name == "Nia Jones"
    assert not user.has_usable_password()
    assert user.email_verified_at is None
    profile = Profile.objects.get(user=user)
    assert profile.current_role == CurrentRole.DCS
    assert profile.current_role_since == dt.date(2024, 3, 1)
    assert profile.employer_type == EmployerType.LOCAL_AUTHORITY
    assert profile.local_authority == _authority("Cardiff")
    assert profile.nation == Nation.WALES
    application = Application.objects.get(applicant=user, cohort=cohort)
    assert application.state == ApplicationState.OFFERED
    assert application.invited is True
    assert application.offer_expires_at is not None
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_state, event.to_state, event.actor) == ("draft", "offered", manager)
    assert event.reason == invitations.INVITATION_REASON
    cohort.refresh_from_db()
    assert cohort.places_taken == 1

    # One email only (no second "offer made" email), with a text and an HTML part.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nia.jones@example.org"]
    assert email.subject == "You are invited to Upon: new directors"
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    deadline = timezone.localtime(application.offer_expires_at).strftime("%-d %B %Y, %H:%M")
    assert deadline in email.body
    assert "Spring" in email.body
    claim_path = _link(email.body, r"/account/password/reset/[^/\s]+/[^/\s]+/")
    detail_path = reverse("applications:detail", args=[application.pk])
    assert detail_path in email.body
    assert claim_path in html and detail_path in html

    # The person claims the account through the link, signs in and accepts the place.
    person = Client()
    link = person.get(claim_path)
    assert link.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        done = person.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is not None  # the link reached their mailbox

    signed_in = person.post(
        reverse("accounts:login"), {"username": "nia.jones@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert person.get(detail_path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        accepted = person.post(reverse("applications:accept", args=[application.pk]))
    assert accepted.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.ENROLLED


def test_inviting_someone_with_an_account_keeps_their_password_and_sends_a_sign_in_link(
    cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    person = factories.UserFactory(email="ola@example.org", full_name="Ola Adeyemi")
    factories.ProfileFactory(
        user=person,
        current_role=CurrentRole.DEPUTY_DCS,
        current_role_since=dt.date(2020, 1, 6),
        local_authority=_authority("Leeds"),
    )
    password_before = person.password

    with django_capture_on_commit_callbacks(execute=True):
        application, created = invitation_create(
            cohort=cohort,
            full_name="Someone Else",
            email="OLA@example.org",
            local_authority=_authority("Bradford"),
            appointed_on=dt.date(2024, 2, 1),
            by=manager,
        )

    assert created
    assert application.applicant == person
    person.refresh_from_db()
    assert person.password == password_before
    assert person.full_name == "Ola Adeyemi"
    profile = Profile.objects.get(user=person)
    # What the person wrote themselves stays as it was.
    assert profile.current_role == CurrentRole.DEPUTY_DCS
    assert profile.current_role_since == dt.date(2020, 1, 6)
    assert profile.local_authority == _authority("Leeds")
    body = mail.outbox[0].body
    assert "/account/password/reset/" not in body
    login_link = _link(body, r"/account/login/\S+")
    assert (
        login_link
        == f"{reverse('accounts:login')}?next=%2Faccount%2Fapplications%2F{application.pk}%2F"
    )


def test_inviting_the_same_person_twice_is_skipped_without_a_second_offer(
    staff_client: Client, cohort: Cohort, django_capture_on_commit_callbacks
) -> None:
    data = {"full_name": "Kit Moss", "email": "kit@example.org"}
    url = reverse("manage:invite", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_client.post(url, {**data, "email": "KIT@example.org"}, follow=True)

    assert "has already been invited to, or applied for, this cohort" in again.content.decode()
    assert Application.objects.filter(cohort=cohort).count() == 1
    assert ApplicationEvent.objects.filter(to_state=ApplicationState.OFFERED).count() == 1
    cohort.refresh_from_db()
    assert cohort.places_taken == 1
    assert len(mail.outbox) == 1


def test_invite_form_keeps_what_was_typed_and_lists_the_errors(
    staff_client: Client, cohort: Cohort
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = staff_client.post(
        reverse("manage:invite", args=[cohort.pk]),
        {"full_name": "", "email": "kit-at-example.org", "appointed_on": tomorrow.isoformat()},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert escape(str(invitation_forms.NAME_REQUIRED)) in page
    assert escape(str(invitation_forms.EMAIL_INVALID)) in page
    assert escape(str(invitation_forms.DATE_IN_FUTURE)) in page
    assert 'value="kit-at-example.org"' in page
    assert not User.objects.filter(email="kit-at-example.org").exists()


def test_inviting_to_a_full_cohort_is_refused_and_creates_nothing(
    staff_client: Client, cohort: Cohort, manager: User
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
    invitation_create(
        cohort=cohort, full_name="First", email="first@example.org",
        local_authority=None, appointed_on=None, by=manager,
    )  # fmt: skip

    response = staff_client.post(
        reverse("manage:invite", args=[cohort.pk]),
        {"full_name": "Second", "email": "second@example.org"},
    )

    assert response.status_code == 409
    assert "There are no places left on this cohort." in response.content.decode()
    assert not User.objects.filter(email="second@example.org").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", '=HYPERLINK("http://x")'), ("full_name", "@Kit"), ("email", "=kit@example.org")],
)
def test_invite_form_refuses_text_a_spreadsheet_would_run_as_a_formula(
    staff_client: Client, cohort: Cohort, field: str, value: str
) -> None:
    data = {"full_name": "Kit Moss", "email": "kit@example.org", field: value}

    response = staff_client.post(reverse("manage:invite", args=[cohort.pk]), data)

    assert response.status_code == 400
    message = str(LOOKS_LIKE_A_FORMULA) % {"character": value[0]}
    assert response.context["form"].errors[field] == [message]
    assert not Application.objects.exists()
    assert not User.objects.filter(email__in=["kit@example.org", "=kit@example.org"]).exists()


def test_the_invitation_service_refuses_a_formula_name_whoever_calls_it(
    cohort: Cohort, manager: User
) -> None:
    with pytest.raises(invitations.NameLooksLikeAFormula):
        invitation_create(
            cohort=cohort, full_name="+cmd", email="kit@example.org",
            local_authority=None, appointed_on=None, by=manager,
        )  # fmt: skip
    assert not User.objects.filter(email="kit@example.org").exists()


def test_inviting_to_a_cancelled_cohort_is_refused(staff_client: Client, cohort: Cohort) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now())

    response = staff_client.post(
        reverse("manage:invite", args=[cohort.pk]),
        {"full_name": "Kit Moss", "email": "kit@example.org"},
    )

    assert response.status_code == 409
    assert escape(str(COHORT_CANCELLED)) in response.content.decode()
    assert not User.objects.filter(email="kit@example.org").exists()


# --- A CSV file: upload and preview ------------------------------------------------


def _upload(client: Client, cohort: Cohort, *lines: str, header: str = HEADER):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("manage:invite_import", args=[cohort.pk]), {"file": _csv(*lines, header=header)}
    )


def _import(cohort: Cohort, manager: User, *lines: str, header: str = HEADER) -> InvitationImport:
    return invitation_import_create(
        cohort=cohort, rows=_rows(*lines, header=header), file_name="people.csv", by=manager
    )


def _verdicts(job: InvitationImport) -> dict[str, list[tuple[int, str, str]]]:
    found: dict[str, list[tuple[int, str, str]]] = {INVITE: [], SKIP: [], REFUSE: []}
    for row in job.rows:
        found[row["verdict"]].append((row["line"], row["email"], row["why"]))
    return found


def _confirm(client: Client, job: InvitationImport, capture):  # type: ignore[no-untyped-def]
    """Confirm, and run what the confirmation queues (the job runs eagerly in tests)."""
    with capture(execute=True):
        response = client.post(reverse("manage:invite_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    return response


def _preview_url(job: InvitationImport) -> str:
    return reverse("manage:invite_import_preview", args=[job.pk])


def test_upload_checks_every_row_and_invites_nobody_until_it_is_confirmed(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    already = factories.UserFactory(email="cara@example.org")
    factories.ApplicationFactory(cohort=cohort, applicant=already)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _upload(
            staff_client,
            cohort,
            "Ann Able,ann@example.org,Leeds,2024-04-01",  # row 2
            "Ben Brown,ben@example.org,Cardiff Council,01/05/2024",  # 3
            "Ann Again,ANN@example.org,Leeds,2024-04-01",  # 4: same address as row 2
            "Cara Cole,cara@example.org,Leeds,2024-04-01",  # 5: applied already
            "Dev Dean,dev@example.org,Narnia,2024-04-01",  # 6
            "Eve Ekwueme,not-an-email,Leeds,2024-04-01",  # 7
            "Fay Fox,fay@example.org,Leeds,31/02/2024",  # 8
            f"Gus Gray,gus@example.org,Leeds,{tomorrow}",  # 9
            ",hal@example.org,Leeds,2024-04-01",  # 10
            ",,,",  # 11: a blank spreadsheet row
            '"Ida Iqbal",ida@example.org,London Borough of Barnet,',  # 12
            header="Full Name,Email Address,Local Authority,Appointment_Date",
        )

    job = InvitationImport.objects.get()
    assert response.status_code == 302
    assert response.url == _preview_url(job)
    assert (job.status, job.cohort, job.created_by, job.file_name) == (
        "preview", cohort, manager, "people.csv",
    )  # fmt: skip
    verdicts = _verdicts(job)
    assert verdicts[INVITE] == [
        (2, "ann@example.org", ""),
        (3, "ben@example.org", ""),
        (12, "ida@example.org", ""),
    ]
    assert verdicts[SKIP] == [
        (4, "ann@example.org", str(ROW_DUPLICATE_IN_FILE) % {"row": 2}),
        (5, "cara@example.org", str(ROW_ALREADY_INVITED)),
    ]
    assert verdicts[REFUSE] == [
        (6, "dev@example.org", str(ROW_UNKNOWN_AUTHORITY) % {"value": "Narnia"}),
        (7, "not-an-email", str(ROW_INVALID_EMAIL) % {"value": "not-an-email"}),
        (8, "fay@example.org", str(ROW_BAD_DATE) % {"value": "31/02/2024"}),
        (9, "gus@example.org", str(ROW_FUTURE_DATE) % {"value": tomorrow}),
        (10, "hal@example.org", str(ROW_MISSING_NAME)),
    ]
    assert job.total == 3 and job.processed == 0
    # Nobody was invited: no account, no offer, no email, no task.
    assert queued == []
    assert not User.objects.filter(email__in=["ann@example.org", "ben@example.org"]).exists()
    assert Application.objects.filter(cohort=cohort).count() == 1
    assert mail.outbox == []
    cohort.refresh_from_db()
    assert cohort.places_taken == 0

    response = _confirm(staff_client, job, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == _preview_url(job)
    assert job.status == "done" and job.processed == 3
    assert job.confirmed_by == manager and job.confirmed_at is not None
    assert job.finished_at is not None
    assert [(e["line"], e["email"], e["outcome"]) for e in job.report] == [
        (2, "ann@example.org", INVITED),
        (3, "ben@example.org", INVITED),
        (12, "ida@example.org", INVITED),
    ]
    cohort.refresh_from_db()
    assert cohort.places_taken == 3
    assert Profile.objects.get(user__email="ben@example.org").local_authority == _authority(
        "Cardiff"
    )
    assert Profile.objects.get(user__email="ann@example.org").current_role_since == dt.date(
        2024, 4, 1
    )
    assert Profile.objects.get(user__email="ida@example.org").current_role_since is None
    for email in ("dev@example.org", "eve@example.org", "fay@example.org", "gus@example.org"):
        assert not User.objects.filter(email=email).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "ben@example.org",
        "ida@example.org",
    ]
    event = ApplicationEvent.objects.get(application__applicant__email="ann@example.org")
    assert (event.to_state, event.actor, event.reason) == (
        "offered", manager, invitations.INVITATION_REASON,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("line", "column", "value"),
    [
        ('=HYPERLINK("http://x"),ann@example.org,,', "name", '=HYPERLINK("http://x")'),
        ("+44 Ann,ann@example.org,,", "name", "+44 Ann"),
        ("-Ann,ann@example.org,,", "name", "-Ann"),
        ("@SUM(A1),ann@example.org,,", "name", "@SUM(A1)"),
        ('"\t=1+1",ann@example.org,,', "name", "=1+1"),  # the tab is trimmed, the = stays
        ("Ann Able,=ann@example.org,,", "email address", "=ann@example.org"),
        ("Ann Able,ann@example.org,=Leeds,", "local authority", "=Leeds"),
        ("Ann Able,ann@example.org,,+2024-04-01", "appointment date", "+2024-04-01"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_refused_in_the_preview(
    cohort: Cohort, manager: User, line: str, column: str, value: str
) -> None:
    job = _import(cohort, manager, line)

    reason = str(ROW_LOOKS_LIKE_A_FORMULA) % {
        "column": column, "value": value, "character": value[0],
    }  # fmt: skip
    assert [(row["line"], row["verdict"], row["why"]) for row in job.rows] == [(2, REFUSE, reason)]
    assert job.total == 0


def test_rows_beyond_the_places_left_are_refused_saying_so(cohort: Cohort, manager: User) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)
    cohort.refresh_from_db()

    job = _import(
        cohort,
        manager,
        "Ann Able,ann@example.org,Leeds,2024-04-01",
        "Ben Brown,ben@example.org,Leeds,2024-04-01",
        "Cy Cole,cy@example.org,Leeds,2024-04-01",
        "Di Dean,di@example.org,Leeds,2024-04-01",
        "Ed Eke,ed@example.org,Atlantis,2024-04-01",
        "Ann Able,ann@example.org,Leeds,2024-04-01",
    )

    verdicts = _verdicts(job)
    assert [line for line, *_rest in verdicts[INVITE]] == [2, 3]
    beyond = row_beyond_places(2)
    assert "2 places left" in beyond
    assert verdicts[REFUSE] == [
        (4, "cy@example.org", beyond),
        (5, "di@example.org", beyond),
        (6, "ed@example.org", str(ROW_UNKNOWN_AUTHORITY) % {"value": "Atlantis"}),
    ]
    assert verdicts[SKIP] == [(7, "ann@example.org", str(ROW_DUPLICATE_IN_FILE) % {"row": 2})]
    assert "1 place left" in row_beyond_places(1)


def test_a_full_cohort_refuses_every_row_as_no_places_left(cohort: Cohort, manager: User) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1, places_taken=1)
    cohort.refresh_from_db()

    job = _import(cohort, manager, "Ann Able,ann@example.org,,")

    assert _verdicts(job)[REFUSE] == [(2, "ann@example.org", str(ROW_NO_PLACES_LEFT))]


def test_people_who_cannot_hold_a_place_are_refused_in_the_preview(
    cohort: Cohort, manager: User
) -> None:
    factories.UserFactory(email="closed@example.org", is_active=False)
    elsewhere = factories.UserFactory(email="elsewhere@example.org")
    sibling = factories.CohortFactory(programme=cohort.programme, name="Autumn")
    factories.ApplicationFactory(cohort=sibling, applicant=elsewhere, state="offered")
    withdrawn = factories.UserFactory(email="withdrawn@example.org")
    factories.ApplicationFactory(cohort=cohort, applicant=withdrawn, state="withdrawn")

    job = _import(
        cohort,
        manager,
        "Closed Account,CLOSED@example.org,,",
        "Else Where,elsewhere@example.org,,",
        "With Drawn,withdrawn@example.org,,",
    )

    verdicts = _verdicts(job)
    assert verdicts[REFUSE] == [
        (2, "closed@example.org", str(invitations.ACCOUNT_CLOSED)),
        (3, "elsewhere@example.org", str(ROW_HOLDS_ANOTHER_PLACE)),
    ]
    # Someone who withdrew may be invited again.
    assert verdicts[INVITE] == [(4, "withdrawn@example.org", "")]


def test_after_offers_close_every_row_is_refused_and_there_is_nothing_to_confirm(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        offer_cutoff_at=timezone.now() - dt.timedelta(hours=1)
    )
    cohort.refresh_from_db()

    job = _import(cohort, manager, "Ann Able,ann@example.org,,", "Ben Brown,ben@example.org,,")
    page = staff_client.get(_preview_url(job)).content.decode()
    response = _confirm(staff_client, job, django_capture_on_commit_callbacks)

    assert _verdicts(job)[REFUSE] == [
        (2, "ann@example.org", str(ROW_OFFERS_CLOSED)),
        (3, "ben@example.org", str(ROW_OFFERS_CLOSED)),
    ]
    assert "Confirm and invite" not in page
    assert escape(str(NOTHING_TO_INVITE)) in page
    assert response.status_code == 409
    assert escape(str(NOTHING_TO_INVITE)) in response.content.decode()
    assert job.status == "preview"
    assert not Application.objects.filter(cohort=cohort).exists()


def test_preview_page_lists_each_group_with_counts_that_agree_with_their_nouns(
    staff_client: Client, cohort: Cohort
) -> None:
    response = _upload(
        staff_client,
        cohort,
        "<b>Bo</b>,bo@example.org,Leeds,2024-04-01",
        "Ann Able,ann@example.org,Leeds,2024-04-01",
        "Ann Able,ann@example.org,Leeds,2024-04-01",
        'Cy Cole,cy@example.org,=HYPERLINK("x"),2024-04-01',
    )
    page = staff_client.get(response.url).content.decode()

    assert "2 people will be invited, 1 row skipped, 1 row refused." in page
    assert "The same email address is on row 3 of this file." in page
    assert "<b>Bo</b>" not in page and "&lt;b&gt;Bo&lt;/b&gt;" in page  # shown, never live
    assert "=HYPERLINK(&quot;x&quot;)" in page  # shown, escaped, never live
    assert 'id="to-invite"' in page and 'id="skipped"' in page and 'id="refused"' in page
    assert "Confirm and invite 2 people" in page
    assert "Discard this file" in page
    assert page.count("<h1") == 1
    assert 'http-equiv="refresh"' not in page
    assert mail.outbox == []

    single = _upload(staff_client, cohort, "Dee Dunn,dee@example.org,,")
    single_page = staff_client.get(single.url).content.decode()
    assert "1 person will be invited, 0 rows skipped, 0 rows refused." in single_page
    assert "Confirm and invite 1 person" in single_page


@pytest.mark.parametrize(
    ("encoding", "prefix", "note"),
    [("utf-8", "\ufeff", False), ("cp1252", "", True)],
    ids=["utf-8 with a byte-order mark", "windows text"],
)
def test_upload_reads_excel_encodings(
    staff_client: Client,
    cohort: Cohort,
    encoding: str,
    prefix: str,
    note: bool,
    django_capture_on_commit_callbacks,
) -> None:
    body = f"{prefix}{HEADER}\r\nZoë Siân Ó Briain,zoe@example.org,Isle of Anglesey,2024-04-01\r\n"
    upload = SimpleUploadedFile("people.csv", body.encode(encoding), content_type="text/csv")

    response = staff_client.post(
        reverse("manage:invite_import", args=[cohort.pk]), {"file": upload}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zoë Siân Ó Briain" in page
    assert (escape(str(ENCODING_NOTE)) in page) is note
    job = InvitationImport.objects.get()
    _confirm(staff_client, job, django_capture_on_commit_callbacks)
    assert User.objects.get(email="zoe@example.org").full_name == "Zoë Siân Ó Briain"


def _nothing_stored() -> bool:
    return not InvitationImport.objects.exists() and not Application.objects.exists()


def test_upload_with_the_wrong_headers_says_which_columns_are_expected(
    staff_client: Client, cohort: Cohort
) -> None:
    response = _upload(staff_client, cohort, "Ann,ann@example.org", header="first name,e-mail")

    assert response.status_code == 400
    expected = str(FILE_BAD_HEADERS) % {
        "expected": "name, email, local_authority, appointment_date",
        "missing": "name, email, local_authority, appointment_date",
    }
    assert escape(expected) in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert _nothing_stored()


def test_upload_refuses_a_file_over_one_megabyte(staff_client: Client, cohort: Cohort) -> None:
    padding = "x" * (invitation_forms.MAX_FILE_BYTES + 1)
    response = _upload(staff_client, cohort, f"{padding},a@example.org,,")

    assert response.status_code == 400
    assert escape(str(FILE_TOO_LARGE)) in response.content.decode()
    assert _nothing_stored()
    assert not User.objects.filter(email="a@example.org").exists()


def test_upload_refuses_more_than_the_row_limit(staff_client: Client, cohort: Cohort) -> None:
    lines = [f"P{n},p{n}@example.org,," for n in range(invitation_forms.MAX_ROWS + 1)]
    response = _upload(staff_client, cohort, *lines)

    assert response.status_code == 400
    assert escape(str(FILE_TOO_MANY_ROWS) % {"max": 2000}) in response.content.decode()
    assert _nothing_stored()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, FILE_REQUIRED),
        (b"PK\x03\x04rest-of-a-zip", FILE_IS_SPREADSHEET),
        (f"{HEADER}\r\n".encode(), FILE_NO_ROWS),
        (b"\r\n\r\n", FILE_EMPTY),
        (b"name,email\x00,local_authority", FILE_NOT_CSV),
        (f"{HEADER}\r\nAnn,ann@example.org,,\r\n".encode("utf-16"), FILE_NOT_CSV),
    ],
    ids=["no file", "a workbook", "a header only", "blank lines", "binary", "utf-16"],
)
def test_a_file_that_is_not_a_list_of_people_redisplays_the_form(
    staff_client: Client, cohort: Cohort, content: bytes | None, message: str
) -> None:
    data = {} if content is None else {"file": SimpleUploadedFile("people.csv", content)}
    response = staff_client.post(reverse("manage:invite_import", args=[cohort.pk]), data)

    assert response.status_code == 400
    assert escape(str(message)) in response.content.decode()
    assert _nothing_stored()


def test_template_download_is_a_csv_the_import_accepts(
    staff_client: Client, cohort: Cohort, manager: User
) -> None:
    response = staff_client.get(reverse("manage:invite_template", args=[cohort.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    form = invitation_forms.InvitationImportForm(
        data={}, files={"file": SimpleUploadedFile("t.csv", response.content)}
    )
    assert form.is_valid(), form.errors
    checked = invitation_rows_check(cohort=cohort, rows=form.cleaned_data["file"])
    assert [(row["line"], row["email"], row["verdict"]) for row in checked] == [
        (2, "sam.example@example.org", INVITE)
    ]


def test_upload_to_a_cancelled_cohort_is_refused_and_stores_nothing(
    staff_client: Client, cohort: Cohort
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now())

    response = _upload(staff_client, cohort, "Ann Able,ann@example.org,,")

    assert response.status_code == 409
    assert escape(str(COHORT_CANCELLED)) in response.content.decode()
    assert _nothing_stored()


# --- Confirming and discarding --------------------------------------------------------


def test_confirming_twice_is_refused_and_queues_the_job_once(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")
    url = reverse("manage:invite_import_confirm", args=[job.pk])

    with django_capture_on_commit_callbacks() as first:
        staff_client.post(url)
    job.refresh_from_db()
    confirmed_at = job.confirmed_at
    with django_capture_on_commit_callbacks() as second:
        again = staff_client.post(url)

    assert len(first) == 1
    assert job.status == "queued"
    assert again.status_code == 409
    assert escape(str(NOT_IN_PREVIEW)) in again.content.decode()
    assert second == []
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == ("queued", confirmed_at)
    assert not Application.objects.exists()


def test_a_finished_or_discarded_import_cannot_be_confirmed_or_discarded(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    done = _import(cohort, manager, "Ann Able,ann@example.org,,")
    _confirm(staff_client, done, django_capture_on_commit_callbacks)
    discarded = _import(cohort, manager, "Ben Brown,ben@example.org,,")
    gone = staff_client.post(reverse("manage:invite_import_discard", args=[discarded.pk]))
    discarded.refresh_from_db()

    assert gone.status_code == 302
    assert gone.url == reverse("manage:invite_import", args=[cohort.pk])
    assert (discarded.status, discarded.rows) == ("discarded", [])
    for job in (done, discarded):
        before = InvitationImport.objects.filter(pk=job.pk).values().get()
        with django_capture_on_commit_callbacks() as queued:
            confirm = staff_client.post(reverse("manage:invite_import_confirm", args=[job.pk]))
            discard = staff_client.post(reverse("manage:invite_import_discard", args=[job.pk]))
        assert (confirm.status_code, discard.status_code) == (409, 409)
        assert queued == []
        assert InvitationImport.objects.filter(pk=job.pk).values().get() == before
    assert list(Application.objects.values_list("applicant__email", flat=True)) == [
        "ann@example.org"
    ]


def test_discarding_says_so_and_invites_nobody(
    staff_client: Client, cohort: Cohort, manager: User
) -> None:
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")

    response = staff_client.post(
        reverse("manage:invite_import_discard", args=[job.pk]), follow=True
    )

    assert escape(str(DISCARDED)) in response.content.decode()
    assert not User.objects.filter(email="ann@example.org").exists()
    page = staff_client.get(_preview_url(job)).content.decode()
    assert "File discarded" in page and "Confirm and invite" not in page


@pytest.mark.parametrize("change", ["cancelled", "selective"])
def test_confirming_is_refused_once_the_cohort_no_longer_takes_invitations(
    staff_client: Client,
    cohort: Cohort,
    manager: User,
    change: str,
    django_capture_on_commit_callbacks,
) -> None:
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")
    if change == "cancelled":
        Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=timezone.now())
        message = COHORT_CANCELLED
    else:
        type(cohort.programme).objects.filter(pk=cohort.programme_id).update(
            admission_mode=AdmissionMode.SELECTIVE
        )
        message = invitations.NOT_BY_INVITATION

    with django_capture_on_commit_callbacks() as queued:
        response = staff_client.post(reverse("manage:invite_import_confirm", args=[job.pk]))

    assert response.status_code == 409
    assert escape(str(message)) in response.content.decode()
    assert queued == []
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == ("preview", None)
    assert not User.objects.filter(email="ann@example.org").exists()


def test_any_manager_of_the_programme_may_confirm_and_the_offers_are_theirs(
    cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    colleague = factories.UserFactory(email="colleague@example.org", full_name="Cal Colleague")
    factories.ProgrammeTeamMemberFactory(
        user=colleague, programme=cohort.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    client = Client()
    client.force_login(colleague)
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")

    _confirm(client, job, django_capture_on_commit_callbacks)

    assert (job.status, job.created_by, job.confirmed_by) == ("done", manager, colleague)
    event = ApplicationEvent.objects.get(application__applicant__email="ann@example.org")
    assert event.actor == colleague
    assert "Confirmed by Cal Colleague" in client.get(_preview_url(job)).content.decode()


# --- Progress and the report -------------------------------------------------------------


def _running(cohort: Cohort, manager: User, *, total: int, processed: int) -> InvitationImport:
    rows = [
        {
            "line": n + 2, "full_name": f"P{n}", "email": f"p{n}@example.org",
            "local_authority": "", "local_authority_id": None, "appointed_on": "",
            "verdict": INVITE, "why": "",
        }
        for n in range(total)
    ]  # fmt: skip
    report = [
        {"line": r["line"], "full_name": r["full_name"], "email": r["email"],
         "outcome": INVITED, "why": ""}
        for r in rows[:processed]
    ]  # fmt: skip
    return InvitationImport.objects.create(
        cohort=cohort, created_by=manager, confirmed_by=manager, confirmed_at=timezone.now(),
        status="running", rows=rows, total=total, processed=processed, report=report,
    )  # fmt: skip


def test_while_running_the_page_shows_progress_and_refreshes_itself(
    staff_client: Client, cohort: Cohort, manager: User
) -> None:
    job = _running(cohort, manager, total=120, processed=40)

    page = staff_client.get(_preview_url(job)).content.decode()
    still = staff_client.get(_preview_url(job) + "?refresh=off").content.decode()

    assert "Inviting: 40 of 120 people" in page
    assert re.search(r'<progress[^>]*max="120" value="40"[^>]*>40 of 120</progress>', page)
    assert 'role="status" aria-live="polite"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Confirm and invite" not in page
    assert 'http-equiv="refresh"' not in still
    assert "Inviting: 40 of 120 people" in still

    InvitationImport.objects.filter(pk=job.pk).update(status="queued", total=1, processed=0)
    queued = staff_client.get(_preview_url(job)).content.decode()
    assert "Inviting: 0 of 1 person" in queued
    assert 'http-equiv="refresh"' in queued


def test_when_done_the_page_reports_who_was_invited_and_who_was_not_and_why(
    staff_client: Client, cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    job = _import(
        cohort,
        manager,
        "Ann Able,ann@example.org,,",
        "Ben Brown,ben@example.org,,",
        "Cy Cole,cy@example.org,Narnia,",
    )
    # Between the preview and the confirmation someone invites Ben by hand.
    invitation_create(
        cohort=cohort, full_name="Ben Brown", email="ben@example.org",
        local_authority=None, appointed_on=None, by=manager,
    )  # fmt: skip

    _confirm(staff_client, job, django_capture_on_commit_callbacks)
    page = staff_client.get(_preview_url(job)).content.decode()

    assert job.status == "done"
    assert [(e["line"], e["outcome"], e["why"]) for e in job.report] == [
        (2, INVITED, ""),
        (3, NOT_INVITED, str(ROW_ALREADY_INVITED)),
    ]
    assert "Finished: 1 person invited, 1 person not invited." in page
    assert 'id="invited"' in page and 'id="not-invited"' in page
    assert escape(str(ROW_ALREADY_INVITED)) in page
    assert "1 row left out when the file was checked" in page
    assert 'http-equiv="refresh"' not in page
    assert Application.objects.filter(applicant__email="ben@example.org").count() == 1


def test_the_import_page_lists_the_cohorts_recent_imports(
    staff_client: Client, cohort: Cohort, manager: User
) -> None:
    older = _import(cohort, manager, "Ann Able,ann@example.org,,")
    InvitationImport.objects.filter(pk=older.pk).update(file_name="older.csv")
    other_cohort = factories.CohortFactory(programme=cohort.programme, name="Autumn")
    elsewhere = _import(other_cohort, manager, "Ben Brown,ben@example.org,,")
    InvitationImport.objects.filter(pk=elsewhere.pk).update(file_name="autumn.csv")
    job = _import(cohort, manager, "Cy Cole,cy@example.org,,")

    page = staff_client.get(_preview_url(job)).content.decode()
    upload_page = staff_client.get(reverse("manage:invite_import", args=[cohort.pk]))

    assert "Recent files for this cohort" in page
    assert "older.csv" in page and "autumn.csv" not in page
    assert f'href="{_preview_url(older)}"' in page
    assert "older.csv" in upload_page.content.decode()


@pytest.mark.parametrize("state", ["preview", "done"])
def test_the_import_page_costs_the_same_queries_for_3_and_30_rows(
    staff_client: Client,
    cohort: Cohort,
    manager: User,
    state: str,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=100)
    cohort.refresh_from_db()

    def page_for(size: int) -> InvitationImport:
        lines = [f"P{size} {n},p{size}.{n}@example.org,Leeds,2024-04-01" for n in range(size)]
        lines.append(f"Bad {size},bad{size},,")  # one refused row
        job = _import(cohort, manager, *lines)
        if state == "done":
            _confirm(staff_client, job, django_capture_on_commit_callbacks)
        return job

    small, large = page_for(3), page_for(30)
    # Session, user, the import with its cohort and people, the role, the recent imports.
    with django_assert_num_queries(session_reads() + 4):
        small_page = staff_client.get(_preview_url(small))
    with django_assert_num_queries(session_reads() + 4):
        large_page = staff_client.get(_preview_url(large))
    assert small_page.content.decode().count("<tr>") + 27 == large_page.content.decode().count(
        "<tr>"
    )


# --- Who may invite ----------------------------------------------------------------


COHORT_PAGES = ["manage:invite", "manage:invite_import", "manage:invite_template"]
IMPORT_PAGES = [
    ("get", "manage:invite_import_preview"),
    ("post", "manage:invite_import_confirm"),
    ("post", "manage:invite_import_discard"),
]


@pytest.mark.parametrize("name", COHORT_PAGES)
def test_a_screener_of_the_programme_is_refused(cohort: Cohort, name: str) -> None:
    screener = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(
        user=screener, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    client = Client()
    client.force_login(screener)

    response = client.get(reverse(name, args=[cohort.pk]))

    assert response.status_code == 403
    assert escape(str(MANAGERS_ONLY)) in response.content.decode()


@pytest.mark.parametrize(("method", "name"), IMPORT_PAGES)
def test_a_screener_cannot_see_confirm_or_discard_an_import(
    cohort: Cohort, manager: User, method: str, name: str, django_capture_on_commit_callbacks
) -> None:
    screener = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(
        user=screener, programme=cohort.programme, role=ProgrammeTeamMember.Role.SCREENER
    )
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")
    client = Client()
    client.force_login(screener)

    with django_capture_on_commit_callbacks() as queued:
        response = getattr(client, method)(reverse(name, args=[job.pk]))

    assert response.status_code == 403
    assert escape(str(MANAGERS_ONLY)) in response.content.decode()
    assert queued == []
    job.refresh_from_db()
    assert job.status == "preview" and len(job.rows) == 1


@pytest.mark.parametrize("name", COHORT_PAGES)
def test_a_manager_of_another_programme_sees_nothing(cohort: Cohort, name: str) -> None:
    other = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=other, role=ProgrammeTeamMember.Role.MANAGER)
    client = Client()
    client.force_login(other)

    assert client.get(reverse(name, args=[cohort.pk])).status_code == 404
    assert client.post(reverse("manage:invite", args=[cohort.pk]), {}).status_code == 404


@pytest.mark.parametrize(("method", "name"), IMPORT_PAGES)
def test_a_manager_of_another_programme_cannot_reach_an_import(
    cohort: Cohort, manager: User, method: str, name: str, django_capture_on_commit_callbacks
) -> None:
    other = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=other, role=ProgrammeTeamMember.Role.MANAGER)
    job = _import(cohort, manager, "Ann Able,ann@example.org,,")
    client = Client()
    client.force_login(other)

    with django_capture_on_commit_callbacks() as queued:
        response = getattr(client, method)(reverse(name, args=[job.pk]))

    assert response.status_code == 404
    assert queued == []
    job.refresh_from_db()
    assert job.status == "preview"


def test_a_site_administrator_may_invite(
    cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    admin = User.objects.create_superuser("root@example.org", factories.PASSWORD)
    client = Client()
    client.force_login(admin)

    response = client.post(
        reverse("manage:invite", args=[cohort.pk]),
        {"full_name": "Kit Moss", "email": "kit@example.org"},
    )
    job = _import(cohort, manager, "Lee Long,lee@example.org,,")
    assert client.get(_preview_url(job)).status_code == 200
    _confirm(client, job, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Application.objects.get(applicant__email="kit@example.org").state == "offered"
    assert Application.objects.get(applicant__email="lee@example.org").state == "offered"
    assert job.confirmed_by == admin


def test_a_programme_that_takes_applications_cannot_invite(manager: User, cohort: Cohort) -> None:
    selective = factories.CohortFactory(
        programme__admission_mode=AdmissionMode.SELECTIVE, programme__title="Aspiring"
    )
    factories.ProgrammeTeamMemberFactory(
        user=manager, programme=selective.programme, role=ProgrammeTeamMember.Role.MANAGER
    )
    client = Client()
    client.force_login(manager)
    message = escape(str(invitations.NOT_BY_INVITATION))

    page = client.get(reverse("manage:invite", args=[selective.pk]))
    one = client.post(
        reverse("manage:invite", args=[selective.pk]),
        {"full_name": "Kit Moss", "email": "kit@example.org"},
    )
    many = client.post(
        reverse("manage:invite_import", args=[selective.pk]),
        {"file": _csv("Kit Moss,kit@example.org,,")},
    )

    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'name="email"' not in page.content.decode()
    assert (one.status_code, many.status_code) == (400, 400)
    assert message in one.content.decode()
    assert not User.objects.filter(email="kit@example.org").exists()
    with pytest.raises(NotByInvitation):
        invitation_create(
            cohort=selective, full_name="Kit", email="kit@example.org",
            local_authority=None, appointed_on=None, by=manager,
        )  # fmt: skip
    with pytest.raises(NotByInvitation):
        invitation_import_create(cohort=selective, rows=[], file_name="", by=manager)
    assert not InvitationImport.objects.exists()


# --- Reading local authority names -------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("leeds", "Leeds"),
        ("  Leeds City Council ", "Leeds"),
        ("London Borough of Barnet", "Barnet"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("Durham County Council", "County Durham"),
        ("County Durham", "County Durham"),
        ("City of London", "City of London"),
        ("Vale of Glamorgan Council", "Vale of Glamorgan"),
        ("Stoke on Trent City Council", "Stoke-on-Trent"),
        ("Brighton & Hove", "Brighton and Hove"),
    ],
)
def test_local_authority_names_are_matched_forgivingly(written: str, name: str) -> None:
    index = AuthorityIndex(LocalAuthority.objects.all())
    found = index.find(written)
    assert found is not None and found.name == name


def test_an_unknown_local_authority_is_not_guessed() -> None:
    index = AuthorityIndex(LocalAuthority.objects.all())
    assert index.find("Narnia County Council") is None
    assert index.find("Council") is None
