"""Forms for inviting people: one at a time, or a CSV file of many.

The upload form only reads the file: it checks size, encoding, headers and row
count, and hands rows to applications.services.invitations, which judges each
row for the preview. Nobody is invited until the preview is confirmed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from applications.services.invitations import COLUMNS, column_for
from portal.form_fields import RowChoiceField
from portal.validators import validate_not_formula

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000

FILE_REQUIRED = _("Choose a CSV file to upload.")
FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _("The file is larger than 1 MB. Split it into smaller files.")
FILE_TOO_MANY_ROWS = _("The file has more than %(max)s people. Split it into smaller files.")
FILE_NO_ROWS = _("The file has a header row but nobody under it.")
FILE_IS_SPREADSHEET = _(
    "This looks like an Excel workbook. In Excel choose Save as, then CSV UTF-8, "
    "and upload that file."
)
FILE_NOT_CSV = _("We could not read this file as CSV. Save it as CSV UTF-8 and try again.")
FILE_BAD_HEADERS = _(
    "The first row of the file must name the columns: %(expected)s. "
    "Missing: %(missing)s. Download the template to see the layout."
)
FILE_REPEATED_HEADER = _("The column “%(column)s” appears more than once in the first row.")
ENCODING_NOTE = _(
    "The file was not saved as UTF-8, so we read it as Windows text. "
    "Check names with accents in the report."
)
NAME_REQUIRED = _("Enter the person's full name.")
EMAIL_REQUIRED = _("Enter the person's email address.")
EMAIL_INVALID = _("Enter an email address in the right format, like name@example.org.")
DATE_INVALID = _("Enter a real date, for example 01/04/2024.")
DATE_IN_FUTURE = _("The appointment date must be today or in the past.")

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_not_formula],
        error_messages={"required": NAME_REQUIRED},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the invitation and the offer to this address."),
        validators=[validate_not_formula],
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
    )
    local_authority = RowChoiceField(
        label=_("Local authority (optional)"),
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        empty_label=_("Choose one"),
        help_text=_("The council they are director of children's services for."),
    )
    appointed_on = forms.DateField(
        label=_("Date appointed (optional)"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("For example, 01/04/2024."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID},
    )

    def clean_appointed_on(self) -> Any:
        value = self.cleaned_data.get("appointed_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE, code="future")
        return value


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, email, local_authority, appointment_date. Up to 2,000 people and 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []
        self.file_name = ""

    def clean_file(self) -> list[dict[str, str]]:
        upload: UploadedFile = self.cleaned_data["file"]
        self.file_name = upload.name or ""
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE, code="too_large")
        raw = upload.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE, code="too_large")
        if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
            raise forms.ValidationError(FILE_IS_SPREADSHEET, code="spreadsheet")
        text = self._decode(raw)
        if "\x00" in text:
            raise forms.ValidationError(FILE_NOT_CSV, code="not_csv")
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise forms.ValidationError(FILE_NOT_CSV, code="not_csv") from exc
        if not records or not any(cell.strip() for cell in records[0]):
            raise forms.ValidationError(FILE_EMPTY, code="empty")
        headers = records[0]
        self._check_headers(headers)
        # csv.reader rather than DictReader: DictReader drops blank lines, and row
        # numbers in the report must match what the person sees in their spreadsheet.
        rows = [dict(zip(headers, record, strict=False)) for record in records[1:]]
        people = sum(1 for record in records[1:] if any(cell.strip() for cell in record))
        if people == 0:
            raise forms.ValidationError(FILE_NO_ROWS, code="no_rows")
        if people > MAX_ROWS:
            raise forms.ValidationError(
                FILE_TOO_MANY_ROWS % {"max": MAX_ROWS}, code="too_many_rows"
            )
        return rows

    def _decode(self, raw: bytes) -> str:
        try:
            # utf-8-sig drops the byte-order mark Excel puts at the start of "CSV UTF-8".
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV" on Windows; cp1252 can decode almost any byte string.
            self.notes.append(str(ENCODING_NOTE))
            return raw.decode("cp1252", errors="replace")

    @staticmethod
    def _check_headers(headers: list[str]) -> None:
        found: dict[str, str] = {}
        for header in headers:
            column = column_for(header)
            if column is None:
                continue  # extra columns (notes, phone numbers) are ignored
            if column in found:
                raise forms.ValidationError(
                    FILE_REPEATED_HEADER % {"column": header.strip()}, code="headers"
                )
            found[column] = header
        missing = [column for column in COLUMNS if column not in found]
        if missing:
            raise forms.ValidationError(
                FILE_BAD_HEADERS % {"expected": ", ".join(COLUMNS), "missing": ", ".join(missing)},
                code="headers",
            )
