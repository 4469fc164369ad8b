"""Nobody but the person sees their equality answers: every page, export and API, every role.

Four people with distinctive answers (own words carrying a marker no other text has)
apply to world.programme's cohort: one submitted and eligible (the console's
sample application), one offered, one enrolled and one waiting. Then every GET URL
in the authorization matrix is fetched as every role (none of them is one of the
four), and so is every console and provider export, in each format, and the
provider API with a token. Neither the marker nor the answers' labels may appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from applications.models import Application, ApplicationState
from providers.models import ExportJob
from providers.services import token_create
from tests import factories
from tests.equality.factories import MARKER, EqualityAnswersFactory, leaks

from .conftest import World
from .matrix import ADMIN_SAMPLE, MATRIX, ROLES

pytestmark = pytest.mark.django_db

GETS = [name for name, case in {**MATRIX, **ADMIN_SAMPLE}.items() if case.method == "get"]
CONSOLE_EXPORTS = ("manage:queue_export", "manage:waiting_list_export", "manage:attendance_export")
FORMATS = ("csv", "xlsx")


def _owner(world: World, email: str, state: str, **fields: Any) -> Application:
    """Someone with answers and an application in `state` on world.programme's cohort."""
    user = factories.UserFactory(email=email, full_name=f"Owner {state.title()}")
    factories.ProfileFactory(user=user)
    EqualityAnswersFactory(user=user)
    return factories.ApplicationFactory(
        cohort=world.programme.cohorts.first(),
        applicant=user,
        state=state,
        eligibility_outcome="eligible",
        reference=f"LP-{state[:4].upper()}",
        snapshot={"full_name": user.full_name, "email": email, "job_title": "Head of service"},
        **fields,
    )


@pytest.fixture
def owners(world: World) -> list[Application]:
    now = timezone.now()
    made = [
        # The same person tests/authz/matrix.py's console_application() shows the team.
        _owner(world, "candidate@example.org", ApplicationState.ELIGIBLE),
        _owner(
            world,
            "offered@example.org",
            ApplicationState.OFFERED,
            offered_at=now,
            offer_expires_at=now + dt.timedelta(days=7),
        ),
        _owner(world, "enrolled@example.org", ApplicationState.ENROLLED),
        _owner(
            world,
            "waiting@example.org",
            ApplicationState.WAITLISTED,
            waitlisted_at=now - dt.timedelta(days=1),
        ),
    ]
    factories.ApplicationEventFactory(
        application=made[2], from_state="offered", to_state=ApplicationState.ENROLLED
    )
    return made


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response: Any) -> str:
    """Everything a response holds as text: HTML, JSON, CSV, or every cell of an XLSX."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if body.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        if "[Content_Types].xml" not in archive.namelist():
            # A ZIP that is not a workbook (the owner's data download): every file in it.
            return "\n".join(
                archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
            )
        book = load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return body.decode("utf-8", errors="replace")


def _seen(url_name: str, text: str) -> list[str]:
    if url_name.startswith("equality:"):
        # The person's own questionnaire lists every option by design; what must not be
        # there is anyone else's answer, chosen or written.
        return leaks(text, labels=False) + (["a chosen answer"] if " checked" in text else [])
    return leaks(text)


def test_the_owners_really_have_answers_and_show_on_the_team_pages(
    world: World, owners: list[Application]
) -> None:
    """Guards the test below: the four are on the pages, so absence of answers means something."""
    staff = _client(world.users["staff"])
    cohort = world.programme.cohorts.first()
    queue = staff.get(reverse("manage:queue", args=[cohort.pk])).content.decode()
    assert "Owner Eligible" in queue
    attendance = staff.get(reverse("manage:attendance", args=[cohort.pk])).content.decode()
    assert "Owner Enrolled" in attendance
    waiting = staff.get(reverse("manage:waiting_list", args=[cohort.pk])).content.decode()
    assert "Owner Waitlisted" in waiting
    owner = _client(owners[0].applicant)
    assert MARKER in owner.get(reverse("equality:questionnaire")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_no_page_in_the_matrix_shows_anyones_answers_to_anyone_else(
    world: World, owners: list[Application], role: str
) -> None:
    client = _client(world.users[role])
    for url_name in GETS:
        case = {**MATRIX, **ADMIN_SAMPLE}[url_name]
        url = reverse(url_name, kwargs=case.kwargs(world))
        response = client.get(url)
        assert _seen(url_name, _text(response)) == [], f"{role} on {url_name}"


@pytest.mark.parametrize("role", ["screener", "staff", "admin"])
def test_the_team_sees_no_answers_on_any_owners_application_or_in_any_export(
    world: World, owners: list[Application], role: str
) -> None:
    client = _client(world.users[role])
    cohort = world.programme.cohorts.first()
    for application in owners:
        response = client.get(reverse("manage:application", args=[application.pk]))
        assert response.status_code == 200
        assert application.applicant.full_name in response.content.decode()
        assert leaks(response.content.decode()) == []
    for url_name in CONSOLE_EXPORTS:
        for fmt in FORMATS:
            response = client.get(reverse(url_name, args=[cohort.pk]), {"format": fmt})
            assert response.status_code == 200, (url_name, fmt)
            text = _text(response)
            assert "Owner" in text, (url_name, fmt)
            assert leaks(text) == [], (url_name, fmt)


def test_the_queue_export_lists_the_owners_without_their_answers_as_csv(
    world: World, owners: list[Application]
) -> None:
    client = _client(world.users["staff"])
    cohort = world.programme.cohorts.first()
    response = client.get(reverse("manage:queue_export", args=[cohort.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(_text(response).lstrip("\ufeff"))))
    assert {"Owner Eligible"} <= {cell for row in rows for cell in row}
    assert all(MARKER not in cell for row in rows for cell in row)


def test_provider_exports_and_background_files_show_no_answers(
    world: World, owners: list[Application], django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(world.users["provider"])
    cohort = world.programme.cohorts.first()
    urls = [
        reverse("provider:cohort_export", args=[cohort.pk]),
        reverse("provider:programme_export", args=[world.programme.slug]),
    ]
    for url in urls:
        for fmt in FORMATS:
            response = client.post(url, {"format": fmt})
            assert response.status_code == 200, (url, fmt)
            text = _text(response)
            assert "Owner Enrolled" in text, (url, fmt)
            assert leaks(text) == [], (url, fmt)
            with django_capture_on_commit_callbacks(execute=True):
                queued = client.post(url, {"format": fmt, "background": "1"})
            assert queued.status_code == 302
            job = ExportJob.objects.order_by("-pk").first()
            assert job is not None and job.status == "done"
            for name in ("provider:export_job", "provider:export_status"):
                assert leaks(_text(client.get(reverse(name, args=[job.pk])))) == []
            text = _text(client.get(reverse("provider:export_download", args=[job.pk])))
            assert "Owner Enrolled" in text and leaks(text) == [], (url, fmt)


def test_the_api_shows_no_answers_with_a_provider_token(
    world: World, owners: list[Application]
) -> None:
    _token, key = token_create(
        provider=world.programme.providers.first(), by=world.users["provider"], name="check"
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    cohort = world.programme.cohorts.first()
    enrolments = reverse("api:v1-cohort-enrolments", kwargs={"pk": cohort.pk})
    requests = [
        (enrolments, {}),
        (enrolments, {"format": "csv"}),
        (reverse("api:v1-enrolments"), {"programme": world.programme.slug}),
        (reverse("api:v1-programme-list"), {}),
        (reverse("api:v1-programme-detail", kwargs={"slug": world.programme.slug}), {}),
        (reverse("api:v1-cohort-list"), {}),
        (reverse("api:v1-cohort-detail", kwargs={"pk": cohort.pk}), {}),
        (reverse("api:schema"), {}),
    ]
    for url, params in requests:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert leaks(_text(response)) == [], url
    listed = _text(client.get(enrolments))
    assert "Owner Enrolled" in listed
