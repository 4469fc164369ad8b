from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal import spreadsheets
from portal.spreadsheets import BOM, neutralise
from providers import exports, services
from providers.models import ExportJob, ExportRecord
from providers.tasks import export_build_task

from .conftest import Side, enrol

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Name",
    "Email",
    "Job title",
    "Employer",
    "Local authority",
    "Nation",
    "Enrolment date",
    "Status",
    "Accreditation",
    "Programme",
    "Cohort",
]


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44", "'+44"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Amira", "Amira"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_defuses_formula_starts(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_csv_export_has_a_bom_headings_and_each_column(a: Side) -> None:
    person = enrol(
        a.cohort,
        full_name="Amira Khan",
        job_title='=HYPERLINK("http://x")',
        employer="@Cardiff",
        local_authority="Cardiff",
        state="completed",
    )
    response = a.client.post(
        reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(_body(response))
    assert rows[0] == HEADINGS
    assert rows[1] == [
        "Amira Khan",
        person.snapshot["email"],
        '\'=HYPERLINK("http://x")',
        "'@Cardiff",
        "Cardiff",
        "Wales",
        "2026-03-02",
        "Completed",
        "ILM Level 7",
        a.programme.title,
        a.cohort.name,
    ]
    assert len(rows) == 2
    assert b"SECRET-EQUALITY-ANSWER" not in _body(
        a.client.post(reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "csv"})
    )


def test_xlsx_export_opens_in_openpyxl_with_each_column(a: Side) -> None:
    enrol(a.cohort, full_name="Owen Price", employer="-Powys", local_authority="Powys")
    response = a.client.post(
        reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert rows[1][0] == "Owen Price"
    assert rows[1][2:] == [
        "Head of service",
        "-Powys",  # a string cell in the XLSX: kept as typed, never run
        "Powys",
        "Wales",
        dt.datetime(2026, 3, 2),
        "Enrolled",
        "ILM Level 7",
        a.programme.title,
        a.cohort.name,
    ]


def test_programme_export_covers_every_cohort(a: Side) -> None:
    from tests import factories

    enrol(a.cohort, full_name="First Cohort")
    enrol(factories.CohortFactory(programme=a.programme, name="Autumn A"), full_name="Second")
    response = a.client.post(
        reverse("provider:programme_export", args=[a.programme.slug]), {"format": "csv"}
    )
    rows = _csv(_body(response))
    assert {row[0] for row in rows[1:]} == {"First Cohort", "Second"}


def test_every_export_is_recorded(a: Side) -> None:
    enrol(a.cohort)
    enrol(a.cohort)
    _body(a.client.post(reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "csv"}))
    record = ExportRecord.objects.get()
    assert (record.user, record.cohort, record.row_count, record.via, record.format) == (
        a.user,
        a.cohort,
        2,
        "page",
        "csv",
    )


def test_another_providers_cohort_and_programme_cannot_be_exported(a: Side, b: Side) -> None:
    enrol(b.cohort)
    url = reverse("provider:cohort_export", args=[b.cohort.pk])
    assert a.client.post(url, {"format": "csv"}).status_code == 404
    url = reverse("provider:programme_export", args=[b.programme.slug])
    assert a.client.post(url, {"format": "xlsx"}).status_code == 404
    assert not ExportRecord.objects.exists()


def test_a_large_export_is_built_in_the_background(
    a: Side, b: Side, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("providers.views.BACKGROUND_THRESHOLD", 2)
    for _ in range(3):
        enrol(a.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = a.client.post(
            reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "csv"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("provider:export_job", args=[job.pk])
    # Tasks run eagerly without Redis: the job is done by now.
    status = a.client.get(reverse("provider:export_status", args=[job.pk])).json()
    assert status == {
        "status": "done",
        "percent": 100,
        "row_count": 3,
        "download_url": reverse("provider:export_download", args=[job.pk]),
    }
    page = a.client.get(reverse("provider:export_job", args=[job.pk])).content.decode()
    assert "<progress" in page and status["download_url"] in page
    rows = _csv(_body(a.client.get(status["download_url"])))
    assert len(rows) == 4
    record = ExportRecord.objects.get()
    assert (record.via, record.row_count) == ("background", 3)

    # Provider B reaches none of it: page, status or file.
    for name in ("export_job", "export_status", "export_download"):
        assert b.client.get(reverse(f"provider:{name}", args=[job.pk])).status_code == 404


def test_asking_for_the_background_builds_a_small_export_there_too(
    a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    enrol(a.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = a.client.post(
            reverse("provider:cohort_export", args=[a.cohort.pk]),
            {"format": "xlsx", "background": "1"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.status == "done" and job.file.name.endswith(".xlsx")


def test_an_expired_export_is_gone(a: Side, django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks
    enrol(a.cohort)
    with capture(execute=True):
        job = services.export_job_start(provider=a.provider, by=a.user, fmt="csv", cohort=a.cohort)
    job.refresh_from_db()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = a.client.get(reverse("provider:export_download", args=[job.pk]))
    assert response.status_code == 410
    assert "This export has expired" in response.content.decode()


def test_purging_deletes_expired_files(a: Side, django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks
    enrol(a.cohort)
    with capture(execute=True):
        job = services.export_job_start(provider=a.provider, by=a.user, fmt="csv", cohort=a.cohort)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert services.export_jobs_purge_expired(now=job.expires_at) == 1
    assert not storage.exists(name)
    response = a.client.get(reverse("provider:export_download", args=[job.pk]))
    assert response.status_code == 410


def test_the_build_task_runs_a_job_once(a: Side) -> None:
    enrol(a.cohort)
    job = services.export_job_start(provider=a.provider, by=a.user, fmt="csv", cohort=a.cohort)
    export_build_task.delay(job.pk)
    export_build_task.delay(job.pk)
    assert ExportRecord.objects.count() == 1
    with pytest.raises(services.ExportJobNotPending):
        services.export_job_build(job_id=job.pk)


def test_a_failed_build_says_why(
    a: Side, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("providers.services.csv_chunks", broken)
    enrol(a.cohort)
    with capture(execute=True):
        job = services.export_job_start(provider=a.provider, by=a.user, fmt="csv", cohort=a.cohort)
    status = a.client.get(reverse("provider:export_status", args=[job.pk])).json()
    assert status["status"] == "failed"
    assert status["reason"].startswith(str(services.EXPORT_FAILED))
    assert not ExportRecord.objects.exists()


def test_an_export_without_a_format_is_refused(a: Side) -> None:
    response = a.client.post(reverse("provider:cohort_export", args=[a.cohort.pk]), {})
    assert response.status_code == 400


def _xlsx_cells(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(_body(response))).active
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def test_xlsx_enrolment_dates_are_date_cells_in_london_time(a: Side) -> None:
    from applications.models import ApplicationEvent

    person = enrol(a.cohort)
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    ApplicationEvent.objects.filter(application=person).update(
        created_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    )
    url = reverse("provider:cohort_export", args=[a.cohort.pk])
    date_cell = _xlsx_cells(a.client.post(url, {"format": "xlsx"}))[0][
        HEADINGS.index("Enrolment date")
    ]
    assert date_cell.is_date
    assert date_cell.value == dt.datetime(2026, 7, 1)
    assert date_cell.number_format == spreadsheets.XLSX_DATE_FORMAT
    # The CSV keeps ISO text for the same day.
    row = _csv(_body(a.client.post(url, {"format": "csv"})))[1]
    assert row[HEADINGS.index("Enrolment date")] == "2026-07-01"


def test_xlsx_text_cells_are_strings_shown_as_typed_and_never_formulas(a: Side) -> None:
    enrol(
        a.cohort,
        full_name="=1+1",
        email="+44@example.org",
        job_title="-2",
        employer="@SUM(A1)",
    )
    response = a.client.post(
        reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "xlsx"}
    )
    cells = _xlsx_cells(response)[0]
    texts = [cell for cell in cells if not cell.is_date and cell.value is not None]
    # Typed as strings, so the text need not be altered: a real name may start so.
    assert [cell.value for cell in texts[:6]] == [
        "=1+1",
        "+44@example.org",
        "-2",
        "@SUM(A1)",
        "Cardiff",
        "Wales",
    ]
    assert {cell.data_type for cell in texts} == {"s"}


def test_an_export_without_an_enrolment_date_leaves_the_cell_empty(a: Side) -> None:
    from applications.models import ApplicationEvent

    person = enrol(a.cohort)
    ApplicationEvent.objects.filter(application=person).delete()
    url = reverse("provider:cohort_export", args=[a.cohort.pk])
    column = HEADINGS.index("Enrolment date")
    assert _xlsx_cells(a.client.post(url, {"format": "xlsx"}))[0][column].value is None
    assert _csv(_body(a.client.post(url, {"format": "csv"})))[1][column] == ""


def test_the_date_column_constant_points_at_the_enrolment_date() -> None:
    assert exports.headings()[exports.DATE_COLUMN] == "Enrolment date"


def _filename(response: Any) -> str:
    disposition = response["Content-Disposition"]
    return disposition.split("filename=", 1)[1].strip('"')


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cohort_export_is_named_after_its_programme_and_cohort(a: Side, fmt: str) -> None:
    a.programme.slug = "upon-aspiring-directors"
    a.programme.save(update_fields=["slug"])
    a.cohort.name = "Next cohort"
    a.cohort.save(update_fields=["name"])
    response = a.client.post(reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": fmt})
    stamp = timezone.localdate().isoformat()
    assert _filename(response) == f"upon-aspiring-directors_next-cohort_enrolments_{stamp}.{fmt}"


def test_a_programme_export_is_named_after_the_programme(a: Side) -> None:
    response = a.client.post(
        reverse("provider:programme_export", args=[a.programme.slug]), {"format": "csv"}
    )
    stamp = timezone.localdate().isoformat()
    assert _filename(response) == f"{a.programme.slug}_enrolments_{stamp}.csv"


@pytest.mark.parametrize(
    ("cohort", "expected"),
    [
        ('Spring "2027" / Wales; rm -rf', "spring-2027-wales-rm-rf"),
        ("Gwanwyn ŵyl Café", "gwanwyn-wyl-cafe"),
        ("../../etc/passwd", "etcpasswd"),
        ("春季", "cohort"),
        ("Cohort_2", "cohort-2"),
        ("x" * 200, "x" * spreadsheets.FILENAME_PART_MAX),
    ],
)
def test_export_file_names_use_safe_characters_only(cohort: str, expected: str) -> None:
    name = exports.export_filename(programme="Upon: Aspiring", cohort=cohort, fmt="csv")
    stamp = timezone.localdate().isoformat()
    assert name == f"upon-aspiring_{expected}_enrolments_{stamp}.csv"
    assert re.fullmatch(r"[a-z0-9_.-]+", name)


def test_a_background_export_file_is_named_after_programme_and_cohort(
    a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    enrol(a.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(provider=a.provider, by=a.user, fmt="xlsx", cohort=a.cohort)
    job.refresh_from_db()
    stamp = timezone.localdate().isoformat()
    expected = f"{a.programme.slug}_spring-a_enrolments_{stamp}"
    assert job.file.name.rsplit("/", 1)[-1].startswith(expected)
    response = a.client.get(reverse("provider:export_download", args=[job.pk]))
    assert _filename(response).startswith(expected)
    page = a.client.get(reverse("provider:export_job", args=[job.pk])).content.decode()
    assert f"{a.programme.title} — {a.cohort.name}" in page


def test_recent_exports_name_the_programme_and_the_cohort(a: Side) -> None:
    enrol(a.cohort)
    _body(a.client.post(reverse("provider:cohort_export", args=[a.cohort.pk]), {"format": "csv"}))
    _body(
        a.client.post(
            reverse("provider:programme_export", args=[a.programme.slug]), {"format": "xlsx"}
        )
    )
    html = a.client.get(reverse("provider:home")).content.decode()
    assert f"{a.programme.title} — {a.cohort.name} (CSV)" in html
    assert f"{a.programme.title} (XLSX)" in html
