"""A strict Content-Security-Policy on every page, and templates that need nothing looser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.harness import ROOT

pytestmark = pytest.mark.django_db

POLICY_PARTS = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
)


@pytest.mark.parametrize(
    "path",
    ["/", "/programmes/", "/account/login/", "/api/v1/cohorts/", "/api/docs/", "/no-such-page/"],
)
def test_every_kind_of_page_is_sent_the_policy(client, path) -> None:
    policy = client.get(path)["Content-Security-Policy"]

    for part in POLICY_PARTS:
        assert part in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_admin_is_sent_the_policy(admin_client) -> None:
    policy = admin_client.get(f"/{settings.ADMIN_PATH}")["Content-Security-Policy"]
    assert "script-src 'self'" in policy


def test_the_api_docs_start_up_script_is_a_file_of_its_own(client) -> None:
    page = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})

    assert "<style" not in page.content.decode()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "validatorUrl" in script.content.decode()


# Page templates only: emails are not served under the policy, and mail programs need
# their inline styles.
PAGE_TEMPLATES = [
    path
    for path in (ROOT / "templates").rglob("*.html")
    if "emails" not in path.relative_to(ROOT / "templates").parts
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.I)


@pytest.mark.parametrize(
    "template", PAGE_TEMPLATES, ids=lambda p: str(Path(p).relative_to(ROOT / "templates"))
)
def test_no_page_template_has_inline_script_style_or_handlers(template) -> None:
    text = template.read_text()

    assert not INLINE_SCRIPT.search(text), "move the script to a file under static/"
    assert not INLINE_STYLE.search(text), "use a class from a stylesheet under static/"
    assert not INLINE_HANDLER.search(text), "attach the handler from a script file"
