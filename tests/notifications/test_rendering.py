"""What an email says: plain text unescaped, HTML escaped, links to this server, one date format."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from post_office.models import Email

from notifications.formatting import format_date, format_datetime
from notifications.outbox import email_queue, email_render
from tests.harness import ROOT
from tests.portal.test_settings import _settings

PROGRAMME = "Leading children's services"
UTC = dt.UTC
# 17:00 in London in winter (GMT) and in summer (BST).
WINTER = dt.datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
SUMMER = dt.datetime(2027, 6, 3, 16, 5, tzinfo=UTC)


@pytest.mark.django_db
def test_an_apostrophe_is_plain_in_subject_and_text_and_escaped_in_html() -> None:
    email = email_queue(
        to="jo@example.org",
        template="cohort_open",
        context={
            "programme": PROGRAMME,
            "cohort": "Jo's cohort",
            "starts": dt.date(2027, 1, 11),
            "closes": WINTER,
            "programme_url": "https://portal.example.org/programmes/x/",
            "unsubscribe_url": "https://portal.example.org/u/",
        },
    )
    email = Email.objects.get(pk=email.pk)
    assert email.subject == f"New dates open: {PROGRAMME}"
    assert PROGRAMME in email.message and "Jo's cohort" in email.message
    assert "&#x27;" not in email.subject + email.message
    assert "Leading children&#x27;s services" in email.html_message
    assert PROGRAMME not in email.html_message


def test_plain_text_is_unescaped_even_without_autoescape_off_in_the_template(tmp_path, settings):
    # A text template that forgets {% autoescape off %} still comes out plain.
    (tmp_path / "emails").mkdir()
    for part, body in {
        "subject.txt": "About {{ programme }}",
        "txt": "{{ programme }} & <more>",
        "html": "<p>{{ programme }} &amp; more</p>",
    }.items():
        (tmp_path / "emails" / f"probe.{part}").write_text(body)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    email = email_render(to="jo@example.org", template="probe", context={"programme": PROGRAMME})
    assert email.subject == f"About {PROGRAMME}"
    assert email.text == f"{PROGRAMME} & <more>"
    assert email.html == "<p>Leading children&#x27;s services &amp; more</p>"


def test_dates_are_written_one_way_in_uk_time() -> None:
    assert format_datetime(WINTER) == "9 December 2026, 17:00 (UK time)"
    assert format_datetime(SUMMER) == "3 June 2027, 17:05 (UK time)"  # BST
    assert format_datetime(SUMMER.astimezone(ZoneInfo("Asia/Tokyo"))) == (
        "3 June 2027, 17:05 (UK time)"
    )
    assert format_date(dt.date(2027, 1, 1)) == "1 January 2027"  # no leading zero
    # Just before midnight UTC in summer is already the next day in the UK.
    assert format_date(dt.datetime(2027, 6, 3, 23, 30, tzinfo=UTC)) == "4 June 2027"
    with pytest.raises(ValueError):
        format_datetime(dt.datetime(2026, 12, 9, 17, 0))


def test_templates_use_the_same_helper() -> None:
    rendered = Template(
        "{% load uk_dates %}{{ when|uk_datetime }} / {{ day|uk_date }} / [{{ none|uk_datetime }}]"
    ).render(Context({"when": WINTER, "day": dt.date(2026, 12, 9), "none": None}))
    assert rendered == "9 December 2026, 17:00 (UK time) / 9 December 2026 / []"


# Any date written another way: "9:24 p.m.", a bare "21:37", "Dec. 9", "2026-12-09".
OTHER_DATE_FORMATS = re.compile(
    r"[ap]\.m\.|\b\d{1,2}:\d{2}\b(?! \(UK time\))|\b\d{4}-\d{2}-\d{2}\b"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "context"),
    [
        (
            "cohort_open",
            {"programme": PROGRAMME, "cohort": "Spring", "starts": dt.date(2027, 1, 11),
             "closes": WINTER, "programme_url": "", "unsubscribe_url": ""},
        ),
        (
            "invitation",
            {"name": "Jo", "programme": PROGRAMME, "cohort": "Spring",
             "starts_on": dt.date(2027, 1, 11), "deadline": WINTER, "application_link": "",
             "claim_link": "", "claim_days": 3, "new_link": "", "sign_in_link": "x"},
        ),
    ],
)  # fmt: skip
def test_every_date_in_an_email_is_in_the_one_format(template, context) -> None:
    email = Email.objects.get(
        pk=email_queue(to="jo@example.org", template=template, context=context).pk
    )
    for part in (email.message, email.html_message):
        assert "9 December 2026, 17:00 (UK time)" in part
        assert "11 January 2027" in part
        assert not OTHER_DATE_FORMATS.search(re.sub(r"<[^>]+>", "", part)), part


def test_site_url_defaults_to_the_port_being_served() -> None:
    base = {"DEBUG": "1", "PATH": "/usr/bin:/bin"}
    assert _settings(base, "SITE_URL") == {"SITE_URL": "http://127.0.0.1:8000"}
    assert _settings({**base, "PORT": "8123"}, "SITE_URL") == {"SITE_URL": "http://127.0.0.1:8123"}
    explicit = {**base, "PORT": "8123", "SITE_URL": "https://portal.example.org/"}
    assert _settings(explicit, "SITE_URL") == {"SITE_URL": "https://portal.example.org"}


def test_make_run_passes_its_port_to_the_server() -> None:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    serve = next(line for line in result.stdout.splitlines() if "runserver" in line)
    assert "PORT=8123 " in serve and serve.endswith("runserver 127.0.0.1:8123")
