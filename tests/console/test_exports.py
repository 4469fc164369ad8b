"""Downloads of the screening queue: what the page lists, no more, as CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import ApplicationState as S
from console import exports
from console.views import exports as exports_view
from portal.spreadsheets import BOM, XLSX_DATE_FORMAT
from tests import factories
from tests.queries import session_reads

from .conftest import make_application

pytestmark = pytest.mark.django_db

# Written out by hand, not read from console.exports: a column added there (an equality
# answer, say, or "every field of the snapshot") must fail this test until someone
# decides, here too, that it belongs in a download.
HEADINGS = [
    "Reference",
    "Name",
    "Email address",
    "Local authority",
    "Sector",
    "Status",
    "Automatic check",
    "Submitted",
    "Assigned to",
]


def _url(cohort: Any) -> str:
    return reverse("manage:queue_export", args=[cohort.pk])


def _csv(response: Any) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.removeprefix(BOM))))


def _xlsx(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content)).active


def test_the_headings_are_exactly_the_declared_columns(cohort, manager_client) -> None:
    make_application(cohort)
    assert exports.headings() == HEADINGS
    assert _csv(manager_client.get(_url(cohort)))[0] == HEADINGS
    sheet = _xlsx(manager_client.get(_url(cohort), {"format": "xlsx"}))
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == HEADINGS


def test_nothing_from_the_snapshot_beyond_the_columns_is_exported(cohort, manager_client):
    """Whatever else a snapshot (or a later equality form) holds stays out of the file."""
    make_application(
        cohort,
        snapshot={
            "full_name": "Alex Applicant",
            "sector": "Education",
            "phone": "07700 900123",
            "ethnicity": "EQUALITY-ANSWER",
            "disability": "EQUALITY-ANSWER",
        },
        supporting_statement="STATEMENT-TEXT",
    )
    for fmt in ["csv", "xlsx"]:
        response = manager_client.get(_url(cohort), {"format": fmt})
        if fmt == "csv":
            cells = [cell for row in _csv(response) for cell in row]
        else:
            cells = [str(c.value) for row in _xlsx(response).iter_rows() for c in row]
        for secret in ["EQUALITY-ANSWER", "07700 900123", "STATEMENT-TEXT"]:
            assert secret not in cells, (fmt, secret)


def test_a_row_holds_what_the_page_shows(cohort, manager, manager_client) -> None:
    person = factories.UserFactory(full_name="Lee Lewis", email="lee@example.org")
    factories.ProfileFactory(
        user=person, local_authority=factories.LocalAuthorityFactory(name="Cardiff")
    )
    make_application(
        cohort,
        S.NEEDS_REVIEW,
        applicant=person,
        reference="LP-ABC123",
        assigned_to=manager,
        snapshot={"sector": "Education"},
        submitted_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC),
    )
    [_headings, row] = _csv(manager_client.get(_url(cohort)))
    assert row == [
        "LP-ABC123",
        "Lee Lewis",
        "lee@example.org",
        "Cardiff",
        "Education",
        "Needs review",
        "Needs review",
        "2026-07-01",  # the London date of a late-evening UTC time
        "Morgan Manager",
    ]


def test_xlsx_submission_dates_are_date_cells(cohort, manager_client) -> None:
    make_application(cohort, submitted_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))
    sheet = _xlsx(manager_client.get(_url(cohort), {"format": "xlsx"}))
    cell = next(iter(sheet.iter_rows(min_row=2)))[HEADINGS.index("Submitted")]
    assert cell.is_date and cell.value == dt.datetime(2026, 7, 1)
    assert cell.number_format == XLSX_DATE_FORMAT


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_that_look_like_formulas_are_defused(cohort, manager_client, fmt) -> None:
    make_application(
        cohort,
        applicant=factories.UserFactory(full_name='=HYPERLINK("http://x")'),
        snapshot={"sector": "+SUM(A1)"},
    )
    response = manager_client.get(_url(cohort), {"format": fmt})
    if fmt == "csv":
        # A CSV has no cell types: the text is defused with a leading apostrophe.
        row = _csv(response)[1]
        assert row[HEADINGS.index("Name")] == '\'=HYPERLINK("http://x")'
        assert row[HEADINGS.index("Sector")] == "'+SUM(A1)"
    else:
        # An XLSX cell typed as a string is never run, so the text stays as typed.
        cells = next(iter(_xlsx(response).iter_rows(min_row=2)))
        assert all(c.data_type != "f" for c in cells)
        row = [c.value for c in cells]
        assert row[HEADINGS.index("Name")] == '=HYPERLINK("http://x")'
        assert row[HEADINGS.index("Sector")] == "+SUM(A1)"
        assert cells[HEADINGS.index("Name")].data_type == "s"


def test_the_export_follows_the_filters_and_sort_of_the_page(cohort, manager, manager_client):
    now = timezone.now()
    a = make_application(
        cohort,
        applicant=factories.UserFactory(full_name="Ann"),
        submitted_at=now - dt.timedelta(days=2),
        assigned_to=manager,
    )
    b = make_application(
        cohort,
        applicant=factories.UserFactory(full_name="Ben"),
        submitted_at=now - dt.timedelta(days=1),
        assigned_to=manager,
    )
    make_application(
        cohort,
        S.NEEDS_REVIEW,
        applicant=factories.UserFactory(full_name="Cat"),
        assigned_to=manager,
    )
    make_application(cohort, applicant=factories.UserFactory(full_name="Dan"))
    params = {"state": "eligible", "assigned": "me", "sort": "-name"}
    rows = _csv(manager_client.get(_url(cohort), params))[1:]
    assert [row[1] for row in rows] == ["Ben", "Ann"]
    page = manager_client.get(reverse("manage:queue", args=[cohort.pk]), params)
    assert [x.pk for x in page.context["page"].object_list] == [b.pk, a.pk]


def test_the_export_has_every_page_of_the_queue(cohort, manager_client) -> None:
    for _ in range(30):
        make_application(cohort)
    assert len(_csv(manager_client.get(_url(cohort), {"page": "1"}))) == 31


def test_the_file_name_names_the_programme_and_cohort(cohort, manager_client) -> None:
    cohort.programme.title = "Upon: Aspiring directors"
    cohort.programme.save(update_fields=["title"])
    stamp = timezone.localdate().isoformat()
    for fmt in ["csv", "xlsx"]:
        response = manager_client.get(_url(cohort), {"format": fmt})
        name = f"upon-aspiring-directors_spring-cohort_applications_{stamp}.{fmt}"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("fmt", ["pdf", "", "CSV", "../x"])
def test_an_unknown_format_is_a_400(cohort, manager_client, fmt) -> None:
    make_application(cohort)
    response = manager_client.get(_url(cohort), {"format": fmt})
    assert response.status_code == 400
    assert str(exports_view.UNKNOWN_FORMAT) in response.content.decode()


def test_bad_filters_and_sorts_are_left_out_not_an_error(cohort, manager_client) -> None:
    make_application(cohort)
    response = manager_client.get(
        _url(cohort), {"state": "nonsense", "sort": "password", "submitted_from": "x"}
    )
    assert response.status_code == 200 and len(_csv(response)) == 2


def test_screeners_may_export_and_outsiders_get_404(cohort, screener_client, other_manager):
    make_application(cohort)
    assert screener_client.get(_url(cohort)).status_code == 200
    client = Client()
    client.force_login(other_manager)
    assert client.get(_url(cohort)).status_code == 404


@pytest.fixture(params=[3, 30], ids=["3 rows", "30 rows"])
def rows(request, cohort, manager):  # type: ignore[no-untyped-def]
    for i in range(request.param):
        person = factories.UserFactory()
        factories.ProfileFactory(user=person)
        make_application(cohort, applicant=person, assigned_to=manager if i % 2 else None)
    return request.param


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_costs_the_same_queries_at_any_size(
    rows, fmt, cohort, manager_client, django_assert_num_queries
) -> None:
    # Session, user, the cohort with its availability, the rows (one query, with people,
    # profiles, local authorities and assignees joined).
    with django_assert_num_queries(session_reads() + 3):
        response = manager_client.get(_url(cohort), {"format": fmt, "sort": "name"})
    assert response.status_code == 200


# --- The waiting list and attendance ----------------------------------------------------

WAITING_LIST_HEADINGS = [
    "Position",
    "Reference",
    "Name",
    "Email address",
    "Joined the waiting list",
]
ATTENDANCE_HEADINGS = [
    "Reference",
    "Name",
    "Email address",
    "Status",
    "Sessions present",
    "Sessions absent",
    "Sessions with apologies",
]


def test_the_waiting_list_export_is_the_list_in_its_order(cohort, manager_client) -> None:
    start = timezone.now() - dt.timedelta(days=3)
    first = make_application(cohort, S.WAITLISTED, applicant=factories.UserFactory(full_name="Wyn"),
                             waitlisted_at=start)  # fmt: skip
    make_application(cohort, S.WAITLISTED, applicant=factories.UserFactory(full_name="Wes"),
                     waitlisted_at=start + dt.timedelta(days=1))  # fmt: skip
    make_application(cohort, S.ELIGIBLE)
    first.waitlist_priority = -1
    first.save(update_fields=["waitlist_priority"])
    url = reverse("manage:waiting_list_export", args=[cohort.pk])
    rows = _csv(manager_client.get(url))
    assert rows[0] == WAITING_LIST_HEADINGS
    assert [(row[0], row[2]) for row in rows[1:]] == [("1", "Wes"), ("2", "Wyn")]
    sheet = _xlsx(manager_client.get(url, {"format": "xlsx"}))
    cells = list(sheet.iter_rows(min_row=2))
    assert [c[0].value for c in cells] == [1, 2]
    assert cells[0][4].is_date and cells[0][4].number_format == XLSX_DATE_FORMAT


def test_the_attendance_export_has_each_persons_marks(cohort, manager_client) -> None:
    from registers.models import CohortSession, SessionAttendance

    person = make_application(cohort, S.ENROLLED, applicant=factories.UserFactory(full_name="Erin"))
    make_application(cohort, S.ELIGIBLE)
    start = timezone.now() - dt.timedelta(days=1)
    for index, mark in enumerate(["present", "present", "absent"]):
        session = CohortSession.objects.create(
            cohort=cohort, title=f"Module {index}", starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )  # fmt: skip
        SessionAttendance.objects.create(session=session, application=person, mark=mark)
    url = reverse("manage:attendance_export", args=[cohort.pk])
    rows = _csv(manager_client.get(url))
    assert rows[0] == ATTENDANCE_HEADINGS
    assert rows[1][1:] == [
        "Erin", person.applicant.email, "Enrolled", "2", "1", "0"
    ]  # fmt: skip
    assert len(rows) == 2
    name = manager_client.get(url, {"format": "xlsx"})["Content-Disposition"]
    assert "_spring-cohort_attendance_" in name and name.endswith('.xlsx"')


@pytest.mark.parametrize("which", ["waiting_list_export", "attendance_export"])
def test_the_other_exports_refuse_an_unknown_format_and_outsiders(
    cohort, manager_client, screener_client, other_manager, which
) -> None:
    url = reverse(f"manage:{which}", args=[cohort.pk])
    assert manager_client.get(url, {"format": "doc"}).status_code == 400
    assert screener_client.get(url).status_code == 200
    client = Client()
    client.force_login(other_manager)
    assert client.get(url).status_code == 404


@pytest.fixture(params=[3, 30], ids=["3 rows", "30 rows"])
def listed(request, cohort):  # type: ignore[no-untyped-def]
    from registers.models import CohortSession, SessionAttendance

    start = timezone.now() - dt.timedelta(days=1)
    session = CohortSession.objects.create(
        cohort=cohort, title="Module", starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    for i in range(request.param):
        make_application(cohort, S.WAITLISTED, waitlisted_at=start + dt.timedelta(minutes=i))
        enrolled = make_application(cohort, S.ENROLLED)
        SessionAttendance.objects.create(session=session, application=enrolled, mark="present")


@pytest.mark.parametrize(
    ("which", "queries"),
    [
        ("waiting_list_export", 3),  # user, cohort, the list
        ("attendance_export", 4),  # user, cohort, marks (one aggregate), the list
    ],
)
def test_the_other_exports_cost_the_same_queries_at_any_size(
    listed, which, queries, cohort, manager_client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(session_reads() + queries):  # and the session, unless kept
        response = manager_client.get(reverse(f"manage:{which}", args=[cohort.pk]))
    assert response.status_code == 200
