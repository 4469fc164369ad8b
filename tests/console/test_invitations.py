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
from applications.models import Application, ApplicationEvent, ApplicationState
from applications.services import invitations
from applications.services.invitations import (
    ROW_ALREADY_INVITED,
    ROW_BAD_DATE,
    ROW_DUPLICATE_IN_FILE,
    ROW_FUTURE_DATE,
    ROW_INVALID_EMAIL,
    ROW_MISSING_NAME,
    ROW_NO_PLACES_LEFT,
    ROW_OFFERS_CLOSED,
    ROW_UNKNOWN_AUTHORITY,
    AuthorityIndex,
    NotByInvitation,
    invitation_create,
    invitations_import,
)
from console.forms import invitations as invitation_forms
from console.forms.invitations import (
    ENCODING_NOTE,
    FILE_BAD_HEADERS,
    FILE_IS_SPREADSHEET,
    FILE_REQUIRED,
    FILE_TOO_LARGE,
    FILE_TOO_MANY_ROWS,
)
from console.views.invitations import MANAGERS_ONLY
from programmes.models import AdmissionMode, Cohort, ProgrammeTeamMember
from tests import factories

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

    assert response.status_code == 200
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


# --- A CSV file ----------------------------------------------------------------


def test_import_reports_each_row_as_imported_skipped_or_refused(
    cohort: Cohort, manager: User, django_capture_on_commit_callbacks
) -> None:
    already = factories.UserFactory(email="cara@example.org")
    factories.ApplicationFactory(cohort=cohort, applicant=already)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    rows = _rows(
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

    with django_capture_on_commit_callbacks(execute=True):
        report = invitations_import(cohort=cohort, rows=rows, by=manager)

    assert report.imported == [
        (2, "ann@example.org"),
        (3, "ben@example.org"),
        (12, "ida@example.org"),
    ]
    assert report.skipped == [
        (4, "ann@example.org", str(ROW_DUPLICATE_IN_FILE) % {"row": 2}),
        (5, "cara@example.org", str(ROW_ALREADY_INVITED)),
    ]
    assert report.refused == [
        (6, str(ROW_UNKNOWN_AUTHORITY) % {"value": "Narnia"}),
        (7, str(ROW_INVALID_EMAIL) % {"value": "not-an-email"}),
        (8, str(ROW_BAD_DATE) % {"value": "31/02/2024"}),
        (9, str(ROW_FUTURE_DATE) % {"value": tomorrow}),
        (10, str(ROW_MISSING_NAME)),
    ]
    cohort.refresh_from_db()
    assert cohort.places_taken == 3
    assert Profile.objects.get(user__email="ben@example.org").local_authority == _authority(
        "Cardiff"
    )
    assert Profile.objects.get(user__email="ida@example.org").current_role_since is None
    for email in ("dev@example.org", "eve@example.org", "fay@example.org", "gus@example.org"):
        assert not User.objects.filter(email=email).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "ben@example.org",
        "ida@example.org",
    ]


def test_when_the_cohort_fills_mid_import_the_remaining_rows_are_refused(
    cohort: Cohort, manager: User
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)
    cohort.refresh_from_db()
    rows = _rows(
        "Ann Able,ann@example.org,Leeds,2024-04-01",
        "Ben Brown,ben@example.org,Leeds,2024-04-01",
        "Cy Cole,cy@example.org,Leeds,2024-04-01",
        "Di Dean,di@example.org,Leeds,2024-04-01",
        "Ed Eke,ed@example.org,Atlantis,2024-04-01",
        "Ann Able,ann@example.org,Leeds,2024-04-01",
    )

    report = invitations_import(cohort=cohort, rows=rows, by=manager)

    assert report.imported == [(2, "ann@example.org"), (3, "ben@example.org")]
    assert report.refused == [
        (4, str(ROW_NO_PLACES_LEFT)),
        (5, str(ROW_NO_PLACES_LEFT)),
        (6, str(ROW_UNKNOWN_AUTHORITY) % {"value": "Atlantis"}),
    ]
    assert report.skipped == [(7, "ann@example.org", str(ROW_DUPLICATE_IN_FILE) % {"row": 2})]
    cohort.refresh_from_db()
    assert cohort.places_taken == cohort.capacity == 2
    # A refused row leaves no account behind.
    assert not User.objects.filter(email__in=["cy@example.org", "di@example.org"]).exists()


def test_import_after_offers_close_refuses_every_row(cohort: Cohort, manager: User) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        offer_cutoff_at=timezone.now() - dt.timedelta(hours=1)
    )
    cohort.refresh_from_db()

    report = invitations_import(
        cohort=cohort, rows=_rows("Ann Able,ann@example.org,,", "Ben Brown,ben@example.org,,"),
        by=manager,
    )  # fmt: skip

    assert report.imported == []
    assert report.refused == [(2, str(ROW_OFFERS_CLOSED)), (3, str(ROW_OFFERS_CLOSED))]
    assert not Application.objects.filter(cohort=cohort).exists()


def test_upload_shows_the_report_with_counts_and_reasons(
    staff_client: Client, cohort: Cohort, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("manage:invite_import", args=[cohort.pk]),
            {
                "file": _csv(
                    "Ann Able,ann@example.org,Leeds,2024-04-01",
                    "Ann Able,ann@example.org,Leeds,2024-04-01",
                    '<b>Bo</b>,bo@example.org,=HYPERLINK("x"),2024-04-01',
                )
            },
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 person invited" in page
    assert "1 row skipped" in page
    assert "1 row refused" in page
    assert "The same email address is on row 2 of this file." in page
    assert "&lt;b&gt;" not in page  # the name is not shown for refused rows
    assert "=HYPERLINK(&quot;x&quot;)" in page  # shown, escaped, never live
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("encoding", "prefix", "note"),
    [("utf-8", "\ufeff", False), ("cp1252", "", True)],
    ids=["utf-8 with a byte-order mark", "windows text"],
)
def test_upload_reads_excel_encodings(
    staff_client: Client, cohort: Cohort, encoding: str, prefix: str, note: bool
) -> None:
    body = f"{prefix}{HEADER}\r\nZoë Siân Ó Briain,zoe@example.org,Ynys Môn,2024-04-01\r\n"
    body = body.replace("Ynys Môn", "Isle of Anglesey")
    upload = SimpleUploadedFile("people.csv", body.encode(encoding), content_type="text/csv")

    response = staff_client.post(
        reverse("manage:invite_import", args=[cohort.pk]), {"file": upload}
    )

    assert response.status_code == 200
    assert User.objects.get(email="zoe@example.org").full_name == "Zoë Siân Ó Briain"
    assert (escape(str(ENCODING_NOTE)) in response.content.decode()) is note


def test_upload_with_the_wrong_headers_says_which_columns_are_expected(
    staff_client: Client, cohort: Cohort
) -> None:
    response = staff_client.post(
        reverse("manage:invite_import", args=[cohort.pk]),
        {"file": _csv("Ann,ann@example.org", header="first name,e-mail")},
    )

    assert response.status_code == 200
    expected = str(FILE_BAD_HEADERS) % {
        "expected": "name, email, local_authority, appointment_date",
        "missing": "name, email, local_authority, appointment_date",
    }
    assert escape(expected) in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Application.objects.exists()


def test_upload_refuses_a_file_over_one_megabyte(staff_client: Client, cohort: Cohort) -> None:
    padding = "x" * (invitation_forms.MAX_FILE_BYTES + 1)
    response = staff_client.post(
        reverse("manage:invite_import", args=[cohort.pk]),
        {"file": _csv(f"{padding},a@example.org,,")},
    )

    assert escape(str(FILE_TOO_LARGE)) in response.content.decode()
    assert not User.objects.filter(email="a@example.org").exists()


def test_upload_refuses_more_than_the_row_limit(staff_client: Client, cohort: Cohort) -> None:
    lines = [f"P{n},p{n}@example.org,," for n in range(invitation_forms.MAX_ROWS + 1)]
    response = staff_client.post(
        reverse("manage:invite_import", args=[cohort.pk]), {"file": _csv(*lines)}
    )

    assert escape(str(FILE_TOO_MANY_ROWS) % {"max": 2000}) in response.content.decode()
    assert not Application.objects.exists()


def test_upload_without_a_file_or_with_a_workbook_redisplays_the_form(
    staff_client: Client, cohort: Cohort
) -> None:
    url = reverse("manage:invite_import", args=[cohort.pk])
    empty = staff_client.post(url, {})
    workbook = SimpleUploadedFile("people.xlsx", b"PK\x03\x04rest-of-a-zip")
    excel = staff_client.post(url, {"file": workbook})

    assert escape(str(FILE_REQUIRED)) in empty.content.decode()
    assert escape(str(FILE_IS_SPREADSHEET)) in excel.content.decode()


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
    report = invitations_import(cohort=cohort, rows=form.cleaned_data["file"], by=manager)
    assert report.imported == [(2, "sam.example@example.org")]


# --- Who may invite ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["manage:invite", "manage:invite_import", "manage:invite_template"]
)
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


@pytest.mark.parametrize(
    "name", ["manage:invite", "manage:invite_import", "manage:invite_template"]
)
def test_a_manager_of_another_programme_sees_nothing(cohort: Cohort, name: str) -> None:
    other = factories.UserFactory()
    factories.ProgrammeTeamMemberFactory(user=other, role=ProgrammeTeamMember.Role.MANAGER)
    client = Client()
    client.force_login(other)

    assert client.get(reverse(name, args=[cohort.pk])).status_code == 404
    assert client.post(reverse("manage:invite", args=[cohort.pk]), {}).status_code == 404


def test_a_site_administrator_may_invite(cohort: Cohort) -> None:
    admin = User.objects.create_superuser("root@example.org", factories.PASSWORD)
    client = Client()
    client.force_login(admin)

    response = client.post(
        reverse("manage:invite", args=[cohort.pk]),
        {"full_name": "Kit Moss", "email": "kit@example.org"},
    )

    assert response.status_code == 302
    assert Application.objects.get(applicant__email="kit@example.org").state == "offered"


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
        invitations_import(cohort=selective, rows=[], by=manager)


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
